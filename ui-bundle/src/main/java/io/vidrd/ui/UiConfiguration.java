package io.vidrd.ui;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the web UI and REST API (PID {@code io.vidrd.ui}). */
@ObjectClassDefinition(name = "VidRD web UI",
        description = "Web page and JSON REST API for generation jobs, on the OSGi HTTP Whiteboard.")
public @interface UiConfiguration {

    /** @return the address the HTTP service is meant to listen on */
    @AttributeDefinition(name = "Host",
            description = "Address the HTTP service listens on (the launcher passes it to Felix HTTP Jetty, PID "
                    + "org.apache.felix.http). While it is a loopback address, requests from other addresses and "
                    + "with other Host headers are refused, even if the HTTP service listens more widely.")
    String host() default "127.0.0.1";

    /** @return the port the HTTP service is meant to listen on */
    @AttributeDefinition(name = "Port", description = "TCP port of the HTTP service (for the logged URL).",
            min = "1", max = "65535")
    int port() default 8080;

    /** @return the bearer token, empty for none */
    @AttributeDefinition(name = "Token", type = AttributeType.PASSWORD, required = false,
            description = "If set, every API request needs 'Authorization: Bearer TOKEN' (or access_token=TOKEN "
                    + "in the query, for media elements and event streams that cannot send headers).")
    String token() default "";

    /** @return jobs kept */
    @AttributeDefinition(name = "Jobs kept", min = "1", max = "10000",
            description = "Jobs the UI remembers; when full the oldest finished one is dropped, and if none has "
                    + "finished new jobs are refused with 429.")
    int max_jobs() default 100;

    /** @return finished videos kept */
    @AttributeDefinition(name = "Videos kept", min = "1", max = "1000",
            description = "Finished videos kept in memory and as encoded files; older ones are deleted.")
    int max_videos() default 8;

    /** @return previews kept per job */
    @AttributeDefinition(name = "Previews per job", min = "1", max = "10000",
            description = "Clip preview images kept per job (the latest ones).")
    int max_previews() default 64;

    /** @return request body limit */
    @AttributeDefinition(name = "Request body limit (bytes)", min = "1024",
            description = "Larger request bodies are refused with 413.")
    int max_body_bytes() default 65536;

    /** @return concurrent event streams */
    @AttributeDefinition(name = "Event streams", min = "1",
            description = "Server-sent event streams open at once; more are refused with 429.")
    int max_streams() default 32;

    /** @return Retry-After seconds */
    @AttributeDefinition(name = "Retry-After (s)", min = "1",
            description = "What a 429 answer tells clients to wait before trying again.")
    int retry_after_seconds() default 10;
}
