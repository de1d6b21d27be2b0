package io.jenkins.plugins.gitops.core.testing.forge;

/**
 * OpenAPI 3.0 descriptions of the calls the pull request client makes, written for this project from the services'
 * API documentation, where no official machine-readable description can be fetched: GitLab's "Merge requests API" and
 * Gitea's API (the definitions CreatePullRequestOption, EditPullRequestOption, IssueLabelsOption, PullRequest and
 * Label of its Swagger 2.0 file, whose properties Go's swagger marks optional).
 */
final class PinnedDescriptions {

    private PinnedDescriptions() {}

    static final String GITLAB = """
            {
              "openapi": "3.0.3",
              "paths": {
                "/api/v4/projects/{id}/merge_requests": {
                  "get": {
                    "parameters": [
                      {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["opened", "closed", "locked", "merged", "all"]}},
                      {"name": "source_branch", "in": "query", "schema": {"type": "string"}},
                      {"name": "target_branch", "in": "query", "schema": {"type": "string"}},
                      {"name": "labels", "in": "query", "schema": {"type": "string"}},
                      {"name": "order_by", "in": "query", "schema": {"type": "string", "enum": ["created_at", "title", "merged_at", "updated_at"]}},
                      {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
                      {"name": "per_page", "in": "query", "schema": {"type": "integer"}},
                      {"name": "page", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/MergeRequest"}}}}}}
                  },
                  "post": {
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                      "type": "object",
                      "required": ["source_branch", "target_branch", "title"],
                      "properties": {
                        "source_branch": {"type": "string"}, "target_branch": {"type": "string"}, "title": {"type": "string"},
                        "description": {"type": "string"}, "labels": {"type": "string"}, "assignee_id": {"type": "integer"},
                        "assignee_ids": {"type": "array", "items": {"type": "integer"}}, "reviewer_ids": {"type": "array", "items": {"type": "integer"}},
                        "milestone_id": {"type": "integer"}, "remove_source_branch": {"type": "boolean"}, "squash": {"type": "boolean"},
                        "allow_collaboration": {"type": "boolean"}, "target_project_id": {"type": "integer"}
                      }}}}},
                    "responses": {
                      "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/MergeRequest"}}}},
                      "409": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  }
                },
                "/api/v4/projects/{id}/merge_requests/{merge_request_iid}": {
                  "get": {
                    "responses": {
                      "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/MergeRequest"}}}},
                      "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  },
                  "put": {
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                      "type": "object",
                      "properties": {
                        "title": {"type": "string"}, "description": {"type": "string"}, "target_branch": {"type": "string"},
                        "labels": {"type": "string"}, "add_labels": {"type": "string"}, "remove_labels": {"type": "string"},
                        "state_event": {"type": "string", "enum": ["close", "reopen"]}, "assignee_id": {"type": "integer"},
                        "milestone_id": {"type": "integer"}, "remove_source_branch": {"type": "boolean"}, "squash": {"type": "boolean"},
                        "discussion_locked": {"type": "boolean"}
                      }}}}},
                    "responses": {
                      "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/MergeRequest"}}}},
                      "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                  }
                }
              },
              "components": {"schemas": {
                "Error": {"type": "object", "required": ["message"], "properties": {"message": {}}},
                "User": {"type": "object", "required": ["id", "username", "name", "state", "web_url"], "properties": {
                  "id": {"type": "integer"}, "username": {"type": "string"}, "name": {"type": "string"}, "state": {"type": "string"},
                  "avatar_url": {"type": "string", "nullable": true}, "web_url": {"type": "string"}}},
                "MergeRequest": {"type": "object",
                  "required": ["id", "iid", "project_id", "title", "description", "state", "source_branch", "target_branch", "web_url",
                               "draft", "labels", "sha", "merge_commit_sha", "squash_commit_sha", "created_at", "updated_at", "merged_at", "closed_at", "author"],
                  "properties": {
                    "id": {"type": "integer"}, "iid": {"type": "integer"}, "project_id": {"type": "integer"},
                    "title": {"type": "string"}, "description": {"type": "string", "nullable": true},
                    "state": {"type": "string", "enum": ["opened", "closed", "locked", "merged"]},
                    "source_branch": {"type": "string"}, "target_branch": {"type": "string"},
                    "source_project_id": {"type": "integer"}, "target_project_id": {"type": "integer"},
                    "web_url": {"type": "string"}, "draft": {"type": "boolean"}, "work_in_progress": {"type": "boolean"},
                    "labels": {"type": "array", "items": {"type": "string"}},
                    "sha": {"type": "string", "nullable": true}, "merge_commit_sha": {"type": "string", "nullable": true},
                    "squash_commit_sha": {"type": "string", "nullable": true},
                    "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
                    "merged_at": {"type": "string", "format": "date-time", "nullable": true},
                    "closed_at": {"type": "string", "format": "date-time", "nullable": true},
                    "author": {"$ref": "#/components/schemas/User"},
                    "merged_by": {"allOf": [{"$ref": "#/components/schemas/User"}], "nullable": true},
                    "merge_status": {"type": "string"}, "detailed_merge_status": {"type": "string"}
                  }}
              }}
            }
            """;

    static final String GITEA = """
            {
              "openapi": "3.0.3",
              "paths": {
                "/api/v1/repos/{owner}/{repo}/pulls": {
                  "get": {
                    "parameters": [
                      {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["open", "closed", "all"]}},
                      {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["oldest", "recentupdate", "leastupdate", "mostcomment", "leastcomment", "priority"]}},
                      {"name": "milestone", "in": "query", "schema": {"type": "integer"}},
                      {"name": "labels", "in": "query", "schema": {"type": "array"}},
                      {"name": "poster", "in": "query", "schema": {"type": "string"}},
                      {"name": "page", "in": "query", "schema": {"type": "integer"}},
                      {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "responses": {"200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/PullRequest"}}}}}}
                  },
                  "post": {
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatePullRequestOption"}}}},
                    "responses": {
                      "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PullRequest"}}}},
                      "409": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/APIError"}}}},
                      "422": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/APIError"}}}}
                    }
                  }
                },
                "/api/v1/repos/{owner}/{repo}/pulls/{index}": {
                  "get": {
                    "responses": {
                      "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PullRequest"}}}},
                      "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/APIError"}}}}
                    }
                  },
                  "patch": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/EditPullRequestOption"}}}},
                    "responses": {
                      "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/PullRequest"}}}},
                      "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/APIError"}}}}
                    }
                  }
                },
                "/api/v1/repos/{owner}/{repo}/issues/{index}/labels": {
                  "post": {
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/IssueLabelsOption"}}}},
                    "responses": {
                      "200": {"content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}}}}},
                      "404": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/APIError"}}}}
                    }
                  }
                }
              },
              "components": {"schemas": {
                "APIError": {"type": "object", "properties": {"message": {"type": "string"}, "url": {"type": "string"}}},
                "CreatePullRequestOption": {"type": "object", "properties": {
                  "assignee": {"type": "string"}, "assignees": {"type": "array", "items": {"type": "string"}},
                  "base": {"type": "string"}, "body": {"type": "string"}, "due_date": {"type": "string", "format": "date-time"},
                  "head": {"type": "string"}, "labels": {"type": "array", "items": {"type": "integer"}},
                  "milestone": {"type": "integer"}, "reviewers": {"type": "array", "items": {"type": "string"}},
                  "team_reviewers": {"type": "array", "items": {"type": "string"}}, "title": {"type": "string"}}},
                "EditPullRequestOption": {"type": "object", "properties": {
                  "allow_maintainer_edit": {"type": "boolean"}, "assignee": {"type": "string"},
                  "assignees": {"type": "array", "items": {"type": "string"}}, "base": {"type": "string"}, "body": {"type": "string"},
                  "due_date": {"type": "string", "format": "date-time"}, "labels": {"type": "array", "items": {"type": "integer"}},
                  "milestone": {"type": "integer"}, "state": {"type": "string"}, "title": {"type": "string"},
                  "unset_due_date": {"type": "boolean"}}},
                "IssueLabelsOption": {"type": "object", "properties": {
                  "labels": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}},
                "Label": {"type": "object", "properties": {
                  "id": {"type": "integer"}, "name": {"type": "string"}, "color": {"type": "string"}, "description": {"type": "string"},
                  "exclusive": {"type": "boolean"}, "is_archived": {"type": "boolean"}, "url": {"type": "string"}}},
                "User": {"type": "object", "properties": {
                  "id": {"type": "integer"}, "login": {"type": "string"}, "full_name": {"type": "string"}, "email": {"type": "string"},
                  "avatar_url": {"type": "string"}, "html_url": {"type": "string"}}},
                "PRBranchInfo": {"type": "object", "properties": {
                  "label": {"type": "string"}, "ref": {"type": "string"}, "sha": {"type": "string"}, "repo_id": {"type": "integer"}}},
                "PullRequest": {"type": "object", "properties": {
                  "id": {"type": "integer"}, "number": {"type": "integer"}, "url": {"type": "string"}, "html_url": {"type": "string"},
                  "diff_url": {"type": "string"}, "patch_url": {"type": "string"},
                  "state": {"type": "string", "enum": ["open", "closed"]}, "title": {"type": "string"}, "body": {"type": "string"},
                  "user": {"$ref": "#/components/schemas/User"}, "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
                  "draft": {"type": "boolean"}, "is_locked": {"type": "boolean"}, "comments": {"type": "integer"},
                  "mergeable": {"type": "boolean"}, "merged": {"type": "boolean"},
                  "merged_at": {"type": "string", "format": "date-time", "nullable": true},
                  "merge_commit_sha": {"type": "string", "nullable": true},
                  "merged_by": {"allOf": [{"$ref": "#/components/schemas/User"}], "nullable": true},
                  "allow_maintainer_edit": {"type": "boolean"},
                  "base": {"$ref": "#/components/schemas/PRBranchInfo"}, "head": {"$ref": "#/components/schemas/PRBranchInfo"},
                  "merge_base": {"type": "string"},
                  "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"},
                  "closed_at": {"type": "string", "format": "date-time", "nullable": true}}}
              }}
            }
            """;
}
