package io.vidrd.ui.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** Sends a file the server made, with single byte ranges so that video players can seek. */
final class FileResponse {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private FileResponse() {
    }

    /**
     * @param file a file of the server's own
     * @param contentType its media type
     * @param downloadName a server-made file name to save it under, or {@code null} to show it inline
     * @param req the request (Range, method)
     * @param resp the response
     * @throws HttpError 416 for a range outside the file
     * @throws IOException if sending fails
     */
    static void send(Path file, String contentType, String downloadName, HttpServletRequest req,
            HttpServletResponse resp) throws HttpError, IOException {
        long size = Files.size(file);
        long start = 0;
        long end = size - 1;
        String range = req.getHeader("Range");
        Matcher m = range == null ? null : RANGE.matcher(range.strip());
        boolean partial = m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty());
        if (partial) {
            if (m.group(1).isEmpty()) { // the last N bytes
                start = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? end : Math.min(end, Long.parseLong(m.group(2)));
            }
            if (start > end || start >= size) {
                resp.setHeader("Content-Range", "bytes */" + size);
                throw new HttpError(416, "range outside the file's " + size + " bytes");
            }
            resp.setStatus(206);
            resp.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
        } else {
            resp.setStatus(200);
        }
        resp.setHeader("Accept-Ranges", "bytes");
        resp.setContentType(contentType);
        resp.setContentLengthLong(end - start + 1);
        resp.setHeader("Content-Disposition", downloadName == null ? "inline"
                : "attachment; filename=\"" + downloadName + "\"");
        if (req.getMethod().equals("HEAD")) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(start);
            OutputStream out = resp.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            long left = end - start + 1;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
