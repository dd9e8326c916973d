/**
 * The media bundle's {@link io.vidrd.api.VideoEncoder}: JavaCV's {@code FFmpegFrameRecorder}
 * for MP4 (H.264 through OpenH264), WebM (VP9) and GIF (a palette per frame), ImageIO for PNG
 * frames. Every writer encodes frame by frame into a hidden temporary next to the target and
 * renames it on close; a JSON sidecar ({@link io.vidrd.media.MetadataSidecar}) holds all
 * metadata.
 *
 * <p>Private to this bundle (not exported): other bundles use the {@code io.vidrd.api}
 * service and read sidecars as plain JSON.
 */
package io.vidrd.media;
