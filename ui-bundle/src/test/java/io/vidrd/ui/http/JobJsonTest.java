package io.vidrd.ui.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vidrd.api.FieldError;
import io.vidrd.api.GenerationRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobJsonTest {

    @Test
    void numbersMayBeNumbersOrStringsAndClipPromptsAnArray() throws Exception {
        GenerationRequest r = JobJson.parseRequest("{\"prompt\":\"boat\",\"width\":64,\"height\":\"32\","
                + "\"guidance_scale\":7.5,\"clips\":2,\"clip_prompts\":[\"a\",\"b\"],\"seed\":null}");
        assertEquals(64, r.width());
        assertEquals(32, r.height());
        assertEquals(7.5, r.guidanceScale());
        assertEquals(List.of("a", "b"), r.clipPrompts());
        assertEquals(GenerationRequest.DEFAULT_SEED, r.seed());
    }

    @Test
    void everyBadFieldIsReportedOnce() {
        HttpError e = assertThrows(HttpError.class, () -> JobJson.parseRequest(
                "{\"prompt\":\"\",\"steps\":0,\"fps\":false,\"clip_prompts\":{},\"x\":1}"));
        assertEquals(400, e.status());
        assertEquals(List.of("clip_prompts", "fps", "prompt", "steps", "x"),
                e.fieldErrors().stream().map(FieldError::field).sorted().collect(Collectors.toList()));
    }

    @Test
    void notAnObjectIsA400() {
        assertEquals(400, assertThrows(HttpError.class, () -> JobJson.parseRequest("[]")).status());
        assertEquals(400, assertThrows(HttpError.class, () -> JobJson.parseRequest("{")).status());
    }
}
