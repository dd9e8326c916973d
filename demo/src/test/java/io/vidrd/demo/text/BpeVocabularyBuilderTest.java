package io.vidrd.demo.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vidrd.engine.tokenizer.ClipTokenizer;
import io.vidrd.engine.tokenizer.TokenizedPrompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeVocabularyBuilderTest {

    @Test
    void clipTokenizerLoadsTheVocabularyAndCommonWordsAreSingleTokens(@TempDir Path dir) throws Exception {
        BpeVocabularyBuilder.Vocabulary v = new BpeVocabularyBuilder(1000, 2).build(CaptionCorpus.captions());
        v.write(dir, 32);
        ClipTokenizer tok = ClipTokenizer.load(dir);
        assertEquals(v.size(), tok.vocabSize());
        assertEquals(0, tok.padId(), "pad is '!' as in SD 2.x");
        assertEquals(v.size() - 2, tok.bosId());
        assertEquals(v.size() - 1, tok.eosId());
        System.out.println("caption vocabulary: " + v.size() + " ids, " + v.merges().size() + " merges");
        assertTrue(v.size() < 1000, "a small vocabulary: " + v.size());

        String caption = "a red circle moving to the right on a dark blue background";
        List<String> tokens = tok.tokenize(caption);
        assertEquals(List.of("a</w>", "red</w>", "circle</w>", "moving</w>", "to</w>", "the</w>",
                "right</w>", "on</w>", "a</w>", "dark</w>", "blue</w>", "background</w>"), tokens);
        TokenizedPrompt ids = tok.encode(caption);
        assertEquals(32, ids.ids().length);
        assertEquals(tok.bosId(), ids.ids()[0]);
        assertEquals(tok.eosId(), ids.ids()[13]);
        assertEquals(caption, tok.decode(java.util.Arrays.copyOfRange(ids.ids(), 1, 13)));
        // an unseen word still encodes, from byte symbols
        assertTrue(tok.tokenize("a zebra").size() > 2);
        assertTrue(Files.readString(dir.resolve("merges.txt")).startsWith("#version: 0.2\n"));
    }

    @Test
    void deterministic() {
        List<String> corpus = CaptionCorpus.captions();
        BpeVocabularyBuilder b = new BpeVocabularyBuilder(300, 2);
        assertEquals(b.build(corpus).vocab(), b.build(corpus).vocab());
    }
}
