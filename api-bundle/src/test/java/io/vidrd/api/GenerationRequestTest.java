package io.vidrd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vidrd.api.GenerationRequest.Builder;

class GenerationRequestTest {
    private static final String LONGEST = "a".repeat(GenerationRequest.MAX_PROMPT_LENGTH);
    private static final String TOO_LONG = LONGEST + "a";

    private static Builder base() {
        return GenerationRequest.builder("a boat is sailing in a lake");
    }

    private static Arguments ok(String name, UnaryOperator<Builder> change) {
        return Arguments.of(name, change);
    }

    private static Arguments bad(String name, UnaryOperator<Builder> change, String field, String value) {
        return Arguments.of(name, change, field, value);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                ok("prompt of one character", b -> b.prompt("x")),
                ok("prompt at the length limit", b -> b.prompt(LONGEST)),
                ok("clip prompt schedule matching clips", b -> b.clips(2).clipPrompts(List.of("a", LONGEST))),
                ok("empty negative prompt", b -> b.negativePrompt("")),
                ok("negative prompt at the length limit", b -> b.negativePrompt(LONGEST)),
                ok("smallest size", b -> b.size(32, 32)),
                ok("largest size", b -> b.size(2048, 2048)),
                ok("one frame per clip", b -> b.framesPerClip(1).promptFrames(0)),
                ok("most frames per clip", b -> b.framesPerClip(256)),
                ok("one clip", b -> b.clips(1)),
                ok("most clips", b -> b.clips(10_000)),
                ok("one step", b -> b.steps(1)),
                ok("most steps", b -> b.steps(1000)),
                ok("zero and negative guidance", b -> b.guidanceScale(-1e300)),
                ok("largest guidance", b -> b.guidanceScale(Double.MAX_VALUE)),
                ok("any seed", b -> b.seed(Long.MIN_VALUE)),
                ok("no prompt frames", b -> b.promptFrames(0)),
                ok("prompt frames N - 1", b -> b.framesPerClip(8).promptFrames(7)),
                ok("no noise reuse", b -> b.noiseReuse(0)),
                ok("large noise reuse", b -> b.noiseReuse(1e9)),
                ok("staged guidance 0", b -> b.stagedGuidance(0)),
                ok("staged guidance 1", b -> b.stagedGuidance(1)),
                ok("tiny fps", b -> b.fps(Double.MIN_VALUE)),
                ok("highest fps", b -> b.fps(240)));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                bad("null prompt", b -> b.prompt(null), "prompt", "null"),
                bad("empty prompt", b -> b.prompt(""), "prompt", ""),
                bad("blank prompt", b -> b.prompt(" \t\n"), "prompt", " \t\n"),
                bad("prompt too long", b -> b.prompt(TOO_LONG), "prompt", TOO_LONG),
                bad("schedule longer than clips", b -> b.clips(2).clipPrompts(List.of("a", "b", "c")),
                        "clip_prompts", "[\"a\", \"b\", \"c\"]"),
                bad("blank clip prompt", b -> b.clips(2).clipPrompts(List.of("a", " ")), "clip_prompts[1]", " "),
                bad("null clip prompt", b -> b.clips(2).clipPrompts(Arrays.asList(null, "b")),
                        "clip_prompts[0]", "null"),
                bad("clip prompt too long", b -> b.clips(1).clipPrompts(List.of(TOO_LONG)),
                        "clip_prompts[0]", TOO_LONG),
                bad("null schedule", b -> b.clipPrompts(null), "clip_prompts", "null"),
                bad("null negative prompt", b -> b.negativePrompt(null), "negative_prompt", "null"),
                bad("negative prompt too long", b -> b.negativePrompt(TOO_LONG), "negative_prompt", TOO_LONG),
                bad("width below range", b -> b.width(24), "width", "24"),
                bad("width above range", b -> b.width(2056), "width", "2056"),
                bad("width not a multiple of 8", b -> b.width(260), "width", "260"),
                bad("height below range", b -> b.height(24), "height", "24"),
                bad("height above range", b -> b.height(2056), "height", "2056"),
                bad("height not a multiple of 8", b -> b.size(256, 33), "height", "33"),
                bad("no frames per clip", b -> b.framesPerClip(0).promptFrames(0), "frames_per_clip", "0"),
                bad("too many frames per clip", b -> b.framesPerClip(257), "frames_per_clip", "257"),
                bad("no clips", b -> b.clips(0), "clips", "0"),
                bad("too many clips", b -> b.clips(10_001), "clips", "10001"),
                bad("no steps", b -> b.steps(0), "steps", "0"),
                bad("too many steps", b -> b.steps(1001), "steps", "1001"),
                bad("NaN guidance", b -> b.guidanceScale(Double.NaN), "guidance_scale", "NaN"),
                bad("infinite guidance", b -> b.guidanceScale(Double.POSITIVE_INFINITY), "guidance_scale",
                        "Infinity"),
                bad("negative prompt frames", b -> b.promptFrames(-1), "prompt_frames", "-1"),
                bad("prompt frames = N", b -> b.framesPerClip(8).promptFrames(8), "prompt_frames", "8"),
                bad("negative noise reuse", b -> b.noiseReuse(-Double.MIN_VALUE), "noise_reuse", "-4.9E-324"),
                bad("NaN noise reuse", b -> b.noiseReuse(Double.NaN), "noise_reuse", "NaN"),
                bad("infinite noise reuse", b -> b.noiseReuse(Double.POSITIVE_INFINITY), "noise_reuse",
                        "Infinity"),
                bad("negative staged guidance", b -> b.stagedGuidance(-Double.MIN_VALUE), "staged_guidance",
                        "-4.9E-324"),
                bad("staged guidance above 1", b -> b.stagedGuidance(Math.nextUp(1.0)), "staged_guidance",
                        "1.0000000000000002"),
                bad("NaN staged guidance", b -> b.stagedGuidance(Double.NaN), "staged_guidance", "NaN"),
                bad("zero fps", b -> b.fps(0), "fps", "0.0"),
                bad("fps above 240", b -> b.fps(Math.nextUp(240.0)), "fps", "240.00000000000003"),
                bad("NaN fps", b -> b.fps(Double.NaN), "fps", "NaN"),
                bad("infinite fps", b -> b.fps(Double.POSITIVE_INFINITY), "fps", "Infinity"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsBoundary(String name, UnaryOperator<Builder> change) {
        GenerationRequest r = change.apply(base()).build();
        assertEquals(r, GenerationRequest.fromParameters(r.toParameters()), "round trip");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsJustOutside(String name, UnaryOperator<Builder> change, String field, String value) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> change.apply(base()).build());
        assertEquals(1, e.errors().size(), e.getMessage());
        FieldError error = e.errors().get(0);
        assertEquals(field, error.field());
        assertEquals(value, error.value());
        assertTrue(error.message().startsWith(field), error.message());
        String shown = value.length() > 60 ? value.substring(0, 60) : value;
        assertTrue(error.message().contains(shown), error.message());
        assertTrue(e.getMessage().contains(error.message()), e.getMessage());
    }

    @Test
    void rangeIsNamedInMessage() {
        FieldError width = assertThrows(InvalidRequestException.class, () -> base().width(30).build()).errors().get(0);
        assertEquals("width = 30: must be a multiple of 8 in [32, 2048]", width.message());
        FieldError m = assertThrows(InvalidRequestException.class, () -> base().framesPerClip(4).build())
                .errors().get(0);
        assertEquals("prompt_frames", m.field());
        assertTrue(m.message().contains("[0, 3]"), m.message());
    }

    @Test
    void reportsAllErrorsTogether() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> GenerationRequest.builder(" ").size(30, 4000).steps(0).fps(-1).stagedGuidance(2).build());
        List<String> fields = e.errors().stream().map(FieldError::field).toList();
        assertEquals(List.of("prompt", "width", "height", "steps", "staged_guidance", "fps"), fields);
        assertTrue(e.getMessage().startsWith("Invalid generation request (6 errors): prompt = \" \""), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> e.errors().clear());
    }

    @Test
    void invalidFramesPerClipDoesNotAlsoBlamePromptFrames() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> base().framesPerClip(0).build());
        assertEquals(List.of("frames_per_clip"), e.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void defaultsFollowTheOfficialExample() {
        GenerationRequest r = GenerationRequest.builder("wood on fire").build();
        assertEquals("wood on fire", r.prompt());
        assertEquals(List.of(), r.clipPrompts());
        assertEquals("watermark", r.negativePrompt());
        assertEquals(256, r.width());
        assertEquals(256, r.height());
        assertEquals(8, r.framesPerClip());
        assertEquals(1, r.clips());
        assertEquals(8, r.totalFrames());
        assertEquals(50, r.steps());
        assertEquals(10.0, r.guidanceScale());
        assertEquals(42L, r.seed());
        assertEquals(4, r.promptFrames());
        assertEquals(4.0, r.noiseReuse());
        assertEquals(0.4, r.stagedGuidance());
        assertEquals(8.0, r.fps());
    }

    @Test
    void promptForClipUsesScheduleOrPrompt() {
        GenerationRequest plain = base().clips(3).build();
        assertEquals(plain.prompt(), plain.promptForClip(2));
        assertEquals(24, plain.totalFrames());
        GenerationRequest scheduled = base().clips(2).clipPrompts(List.of("first", "second")).build();
        assertEquals("second", scheduled.promptForClip(1));
        assertThrows(IndexOutOfBoundsException.class, () -> scheduled.promptForClip(2));
        assertThrows(IndexOutOfBoundsException.class, () -> scheduled.promptForClip(-1));
    }

    @Test
    void clipPromptsAreCopied() {
        List<String> prompts = new ArrayList<>(List.of("a", "b"));
        Builder b = base().clips(2).clipPrompts(prompts);
        prompts.set(0, "changed");
        GenerationRequest r = b.build();
        assertEquals(List.of("a", "b"), r.clipPrompts());
        assertThrows(UnsupportedOperationException.class, () -> r.clipPrompts().add("c"));
    }

    @Test
    void parametersRoundTripEveryField() {
        GenerationRequest r = GenerationRequest.builder("quote \" backslash \\ newline \n tab \t | pipe")
                .clipPrompts(List.of("one, [two]", "\u0001 \u00e9 \"x\"")).negativePrompt("").size(512, 320)
                .framesPerClip(16).clips(2).steps(25).guidanceScale(7.5).seed(-123456789012345L)
                .promptFrames(15).noiseReuse(0.1).stagedGuidance(1.0 / 3).fps(23.976).build();
        Map<String, String> p = r.toParameters();
        assertEquals(List.of("prompt", "clip_prompts", "negative_prompt", "width", "height", "frames_per_clip",
                "clips", "steps", "guidance_scale", "seed", "prompt_frames", "noise_reuse", "staged_guidance",
                "fps"), List.copyOf(p.keySet()));
        assertEquals("512", p.get("width"));
        assertEquals("7.5", p.get("guidance_scale"));
        assertEquals("[\"one, [two]\", \"\\u0001 \u00e9 \\\"x\\\"\"]", p.get("clip_prompts"));
        GenerationRequest back = GenerationRequest.fromParameters(p);
        assertEquals(r, back);
        assertEquals(r.hashCode(), back.hashCode());
        assertEquals(r.toString(), back.toString());
        assertEquals(r, r.toBuilder().build());
        assertNotEquals(r, r.toBuilder().seed(1).build());
    }

    @Test
    void fromParametersUsesDefaultsIgnoresUnknownKeysAndReportsBadValues() {
        Map<String, String> p = new HashMap<>(Map.of("prompt", "a cat", "vidrd.engine.name", "x", "width", " 128 "));
        GenerationRequest r = GenerationRequest.fromParameters(p);
        assertEquals(GenerationRequest.builder("a cat").width(128).build(), r);

        p.putAll(Map.of("height", "tall", "seed", "1.5", "fps", "fast", "clip_prompts", "[\"a\"", "steps", "0"));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> GenerationRequest.fromParameters(p));
        assertEquals(List.of("clip_prompts", "height", "seed", "fps", "steps"),
                e.errors().stream().map(FieldError::field).toList());
        assertEquals("tall", e.errors().get(1).value());
        assertThrows(InvalidRequestException.class, () -> GenerationRequest.fromParameters(Map.of()));
    }

    @Test
    void stringListCodecRejectsMalformedText() {
        for (String bad : List.of("", "a", "[", "[\"a\",]", "[\"a\"] x", "[\"\\q\"]", "[\"\\u00\"]", "[1]")) {
            assertThrows(IllegalArgumentException.class, () -> StringListCodec.decode(bad), bad);
        }
        assertEquals(List.of(), StringListCodec.decode(" [ ] "));
        assertEquals(List.of("a/b", "\b\f"), StringListCodec.decode("[ \"a\\/b\" , \"\\b\\f\" ]"));
    }

    @Test
    void recordsWhichFieldsTheCallerSet() {
        GenerationRequest r = GenerationRequest.builder("a cat").steps(GenerationRequest.DEFAULT_STEPS).size(64, 64).build();
        assertTrue(r.isSet(GenerationRequest.KEY_STEPS), "set explicitly, even to the default");
        assertTrue(r.isSet(GenerationRequest.KEY_WIDTH) && r.isSet(GenerationRequest.KEY_HEIGHT));
        assertFalse(r.isSet(GenerationRequest.KEY_GUIDANCE_SCALE));
        GenerationRequest copy = r.toBuilder().build();
        assertTrue(copy.isSet(GenerationRequest.KEY_STEPS));
        assertFalse(copy.isSet(GenerationRequest.KEY_GUIDANCE_SCALE), "a copy keeps defaults as defaults");
        GenerationRequest parsed = GenerationRequest.fromParameters(java.util.Map.of("prompt", "a cat", "seed", "7"));
        assertTrue(parsed.isSet(GenerationRequest.KEY_SEED));
        assertFalse(parsed.isSet(GenerationRequest.KEY_STEPS));
    }
}
