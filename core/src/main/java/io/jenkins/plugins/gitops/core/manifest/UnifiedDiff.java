package io.jenkins.plugins.gitops.core.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified diff text ({@code git diff} layout, three lines of context) for one {@link FileEdit}, from a
 * Myers shortest edit script over lines. Edits are small, so the script stays short even in big files.
 */
final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private enum Op { KEEP, DELETE, INSERT }

    private record Line(Op op, int oldIndex, int newIndex) {}

    private UnifiedDiff() {}

    static String of(FileEdit edit) {
        List<String> before = lines(edit.before());
        List<String> after = lines(edit.after());
        List<Line> script = script(before, after);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(edit.created() ? "/dev/null" : "a/" + edit.file()).append('\n');
        out.append("+++ b/").append(edit.file()).append('\n');
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).op() == Op.KEEP) {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while the next change is within twice the context.
            while (end < script.size()) {
                int nextChange = end;
                while (nextChange < script.size() && script.get(nextChange).op() == Op.KEEP) {
                    nextChange++;
                }
                if (nextChange == script.size()) {
                    end = Math.min(script.size(), end + CONTEXT);
                    break;
                }
                if (nextChange - end > 2 * CONTEXT) {
                    end = end + CONTEXT;
                    break;
                }
                end = nextChange + 1;
                while (end < script.size() && script.get(end).op() != Op.KEEP) {
                    end++;
                }
            }
            hunk(out, script.subList(start, end), before, after);
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Line> lines, List<String> before, List<String> after) {
        int oldStart = -1;
        int newStart = -1;
        int oldCount = 0;
        int newCount = 0;
        for (Line line : lines) {
            if (line.op() != Op.INSERT) {
                oldStart = oldStart < 0 ? line.oldIndex() : oldStart;
                oldCount++;
            }
            if (line.op() != Op.DELETE) {
                newStart = newStart < 0 ? line.newIndex() : newStart;
                newCount++;
            }
        }
        out.append("@@ -").append(range(oldStart, oldCount, lines.get(0).oldIndex()))
                .append(" +").append(range(newStart, newCount, lines.get(0).newIndex())).append(" @@\n");
        for (Line line : lines) {
            String text = switch (line.op()) {
                case KEEP -> " " + before.get(line.oldIndex());
                case DELETE -> "-" + before.get(line.oldIndex());
                case INSERT -> "+" + after.get(line.newIndex());
            };
            if (text.endsWith("\n")) {
                out.append(text);
            } else {
                out.append(text).append("\n\\ No newline at end of file\n");
            }
        }
    }

    private static String range(int start, int count, int fallback) {
        int first = count == 0 ? fallback : start + 1;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }

    /** Lines with their terminators, so that a changed line ending or final newline shows. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            lines.add(text.substring(start, end));
            start = end;
        }
        return lines;
    }

    /** Myers' O((N+M)D) shortest edit script. */
    private static List<Line> script(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        int offset = max + 1;
        int[] v = new int[2 * max + 3];
        List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                        ? v[offset + k + 1] : v[offset + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
        }
        List<Line> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] previous = trace.get(d);
            int k = x - y;
            int previousK = (k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1])) ? k + 1 : k - 1;
            int previousX = previous[offset + previousK];
            int previousY = previousX - previousK;
            while (x > previousX && y > previousY) {
                reversed.add(new Line(Op.KEEP, --x, --y));
            }
            if (x == previousX) {
                reversed.add(new Line(Op.INSERT, x, --y));
            } else {
                reversed.add(new Line(Op.DELETE, --x, y));
            }
        }
        while (x > 0 && y > 0) {
            reversed.add(new Line(Op.KEEP, --x, --y));
        }
        List<Line> forward = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            forward.add(reversed.get(i));
        }
        return forward;
    }
}
