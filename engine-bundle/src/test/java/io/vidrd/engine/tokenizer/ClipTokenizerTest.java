package io.vidrd.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vidrd.engine.golden.GoldenFiles;
import io.vidrd.runtime.checkpoint.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {

    private static final List<String> FILES = List.of("vocab.json", "merges.txt",
            "tokenizer_config.json", "special_tokens_map.json");

    private static ClipTokenizer tokenizer;
    private static JsonObject goldenTokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipTokenizer.load(GoldenFiles.sd().resolve("tokenizer"));
        Path json = GoldenFiles.requireDir().resolve("golden.json");
        goldenTokenizer = JsonParser.parseString(Files.readString(json)).getAsJsonObject()
                .getAsJsonObject("tokenizer");
    }

    private static List<String> prompts() {
        return strings(goldenTokenizer.getAsJsonArray("prompts"));
    }

    private static List<String> strings(JsonArray array) {
        List<String> list = new java.util.ArrayList<>();
        for (JsonElement e : array) {
            list.add(e.getAsString());
        }
        return list;
    }

    @Test
    void specialIdsComeFromTheConfiguration() {
        assertEquals(77, tokenizer.maxLength());
        assertEquals(589, tokenizer.vocabSize());
        assertEquals(goldenTokenizer.get("bos_id").getAsInt(), tokenizer.bosId());
        assertEquals(goldenTokenizer.get("eos_id").getAsInt(), tokenizer.eosId());
        assertEquals(goldenTokenizer.get("pad_id").getAsInt(), tokenizer.padId());
        assertEquals(tokenizer.eosId(), tokenizer.unkId());
    }

    @Test
    void idsEqualGoldenExactly() throws IOException {
        long[] golden;
        try (StateDict dict = GoldenFiles.tensors()) {
            assertArrayEquals(new long[] {6, 77}, GoldenFiles.record(dict, "tokenizer.input_ids").shape());
            golden = GoldenFiles.longs(dict, "tokenizer.input_ids");
        }
        List<String> prompts = prompts();
        assertEquals(6, prompts.size());
        for (int p = 0; p < prompts.size(); p++) {
            long[] expected = java.util.Arrays.copyOfRange(golden, p * 77, (p + 1) * 77);
            TokenizedPrompt encoded = tokenizer.encode(prompts.get(p));
            assertArrayEquals(expected, encoded.idsAsLong(), "prompt " + p + ": " + prompts.get(p));
        }
    }

    @Test
    void tokensCountsAndTruncationEqualGoldenDetails() {
        for (JsonElement o : goldenTokenizer.getAsJsonArray("details")) {
            JsonObject detail = o.getAsJsonObject();
            String prompt = detail.get("prompt").getAsString();
            List<String> expectedTokens = strings(detail.getAsJsonArray("tokens"));
            List<String> tokens = tokenizer.tokenize(prompt);
            // golden lists a prefix of the tokens for the long prompt (80 of 184)
            assertEquals(expectedTokens, tokens.subList(0, Math.min(expectedTokens.size(), tokens.size())),
                    prompt);
            TokenizedPrompt encoded = tokenizer.encode(prompt);
            assertEquals(detail.get("content_tokens_untruncated").getAsInt(),
                    encoded.contentTokenCount(), prompt);
            assertEquals(detail.get("truncated").getAsBoolean(), encoded.truncated(), prompt);
            assertEquals(encoded.truncated(), !encoded.truncationWarning().isEmpty(), prompt);
        }
    }

    @Test
    void longPromptIsTruncatedWithItsTailReported() {
        TokenizedPrompt p = tokenizer.encode(prompts().get(2));
        assertTrue(p.truncated());
        assertEquals(184, p.contentTokenCount());
        assertEquals(77, p.length());
        assertEquals(tokenizer.eosId(), p.ids()[76]);
        // content token 75 onwards: "...lighthouse" continues with "e</w>" after "s"
        assertTrue(p.truncatedText().endsWith("along the water"), p.truncatedText());
        assertTrue(p.truncationWarning().startsWith("The following part of your input was truncated"
                + " because CLIP can only handle sequences up to 77 tokens: "), p.truncationWarning());
    }

    @Test
    void emptyPromptIsBosEosAndPadding() {
        int[] ids = tokenizer.encode("").ids();
        assertEquals(tokenizer.bosId(), ids[0]);
        assertEquals(tokenizer.eosId(), ids[1]);
        for (int i = 2; i < 77; i++) {
            assertEquals(0, ids[i]);
        }
        assertFalse(tokenizer.encode("").truncated());
        assertArrayEquals(ids, tokenizer.encode("  \t\n ").ids());
    }

    @Test
    void padTokenIsSplitOutBeforeBpe() {
        assertEquals(List.of("wo", "w</w>", "!", "!"), tokenizer.tokenize("wow !!"));
        assertEquals(List.of("!", "wo", "w</w>"), tokenizer.tokenize("!wow"));
        assertEquals(0, tokenizer.encode("!").ids()[1]);
    }

    @Test
    void specialTokensInTheTextMapToTheirIds() {
        int[] ids = tokenizer.encode("wood <|endoftext|> fire").ids();
        assertEquals(List.of("wood</w>", "<|endoftext|>", "fire</w>"),
                tokenizer.tokenize("wood <|endoftext|> fire"));
        assertEquals(tokenizer.eosId(), ids[2]);
        // upper case is not the special token, but CLIP's pre-token pattern still catches it
        assertEquals(List.of("<|startoftext|>"), tokenizer.tokenize("<|STARTOFTEXT|>"));
    }

    @Test
    void ftfyStyleCleanupIsApplied() {
        List<String> plain = tokenizer.tokenize("wood & fire \"lake\" it's");
        assertEquals(plain, tokenizer.tokenize("wood &amp; fire \u201Clake\u201D it\u2019s"));
        assertEquals(plain, tokenizer.tokenize("WOOD &#38; FIRE \"LAKE\" IT'S"));
        assertEquals(plain, tokenizer.tokenize("\uFF37\uFF4F\uFF4F\uFF44\u3000&\tfire  \"lake\"\n it's"));
        // with a '<' in the text ftfy leaves entities alone
        assertEquals(List.of("<</w>", "wood</w>", "&</w>", "amp</w>", ";</w>"),
                collapse(tokenizer.tokenize("< wood &amp;")));
        assertEquals(tokenizer.tokenize("caf\u00E9"), tokenizer.tokenize("cafe\u0301"));
        assertEquals(tokenizer.tokenize("fire"), tokenizer.tokenize("\uFB01re"));
        assertEquals(tokenizer.tokenize("fire"), tokenizer.tokenize("fi\u0000re"));
    }

    /** Joins BPE pieces of each word so the test does not depend on the tiny merge table. */
    private static List<String> collapse(List<String> tokens) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (String t : tokens) {
            word.append(t);
            if (t.endsWith("</w>")) {
                words.add(word.toString());
                word.setLength(0);
            }
        }
        return words;
    }

    @Test
    void tokensMissingFromTheVocabularyBecomeUnk(@TempDir Path tmp) throws IOException {
        copyTokenizer(tmp, "merges.txt");
        List<String> merges =
                Files.readAllLines(GoldenFiles.sd().resolve("tokenizer").resolve("merges.txt"));
        merges.set(1, "q z</w>");
        Files.write(tmp.resolve("merges.txt"), merges);
        ClipTokenizer t = ClipTokenizer.load(tmp);
        assertEquals(List.of("qz</w>"), t.tokenize("qz"));
        assertEquals(t.unkId(), t.encode("qz").ids()[1]);
        // merges are used only up to vocabulary size - 514, so an extra line changes nothing
        merges.set(1, "t h");
        merges.add("wood</w> x");
        Files.write(tmp.resolve("merges.txt"), merges);
        assertArrayEquals(tokenizer.encode("wood on fire").ids(),
                ClipTokenizer.load(tmp).encode("wood on fire").ids());
    }

    @Test
    void decodeInvertsSimpleText() {
        TokenizedPrompt p = tokenizer.encode("a boat, sailing");
        assertEquals("<|startoftext|>a boat, sailing <|endoftext|>",
                tokenizer.decode(java.util.Arrays.copyOf(p.ids(), p.contentTokenCount() + 2)));
    }

    @Test
    void missingVocabIsNamed(@TempDir Path tmp) throws IOException {
        copyTokenizer(tmp, "vocab.json");
        IOException e = assertThrows(IOException.class, () -> ClipTokenizer.load(tmp));
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
    }

    @Test
    void missingMergesIsNamed(@TempDir Path tmp) throws IOException {
        copyTokenizer(tmp, "merges.txt");
        IOException e = assertThrows(IOException.class, () -> ClipTokenizer.load(tmp));
        assertTrue(e.getMessage().contains("merges.txt"), e.getMessage());
    }

    @Test
    void malformedVocabIsNamed(@TempDir Path tmp) throws IOException {
        copyTokenizer(tmp, null);
        Files.writeString(tmp.resolve("vocab.json"), "{\"a\": 1,");
        IOException e = assertThrows(IOException.class, () -> ClipTokenizer.load(tmp));
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
    }

    @Test
    void badConfigIsNamed(@TempDir Path tmp) throws IOException {
        copyTokenizer(tmp, null);
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"model_max_length\": \"x\"}");
        IOException e = assertThrows(IOException.class, () -> ClipTokenizer.load(tmp));
        assertTrue(e.getMessage().contains("tokenizer_config.json"), e.getMessage());
        assertTrue(e.getMessage().contains("model_max_length"), e.getMessage());
    }

    @Test
    void specialTokensMayBePlainStringsAndTheMapIsOptional(@TempDir Path tmp) throws IOException {
        copyTokenizer(tmp, "special_tokens_map.json");
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"model_max_length\": 10,"
                + " \"bos_token\": \"<|startoftext|>\", \"eos_token\": {\"content\": \"<|endoftext|>\"},"
                + " \"pad_token\": \"<|endoftext|>\"}");
        ClipTokenizer t = ClipTokenizer.load(tmp);
        assertEquals(588, t.padId());
        int[] a = t.encode("a").ids();
        assertEquals(10, a.length);
        assertEquals(List.of(587, 588, 588), List.of(a[0], a[2], a[9]));
        int[] ids = t.encode("wow! wow! wow! wow!").ids();
        assertEquals(10, ids.length);
        assertEquals(588, ids[9]);
        assertTrue(t.encode("wow! wow! wow! wow!").truncated());
    }

    private static void copyTokenizer(Path target, String skip) throws IOException {
        for (String f : FILES) {
            if (!f.equals(skip)) {
                Files.copy(GoldenFiles.sd().resolve("tokenizer").resolve(f), target.resolve(f));
            }
        }
    }
}
