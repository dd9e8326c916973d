package io.vidrd.ui.http;

/**
 * Limits of the REST API.
 *
 * @param maxBodyBytes largest request body
 * @param maxStreams event streams open at once
 * @param retryAfterSeconds what a 429 answer asks clients to wait
 * @param heartbeatMillis how often an idle event stream sends a comment, so proxies and the
 *     server's idle timeout keep it open
 */
public record ApiSettings(int maxBodyBytes, int maxStreams, int retryAfterSeconds, long heartbeatMillis) {
}
