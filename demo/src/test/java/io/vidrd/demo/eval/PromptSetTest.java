package io.vidrd.demo.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptSetTest {

    @Test
    void everyEightPromptsCoverAllColoursAndAllDirections() {
        List<String> prompts = PromptSet.motionPrompts(64);
        assertEquals(64, new HashSet<>(prompts).size());
        for (int from = 0; from < 64; from += 8) {
            Set<Object> colours = new HashSet<>();
            Set<Object> directions = new HashSet<>();
            for (String p : prompts.subList(from, from + 8)) {
                CaptionParser.Expectation e = CaptionParser.parse(p).orElseThrow();
                colours.add(e.color());
                directions.add(e.motion());
                assertEquals(true, e.motion().translates(), p);
            }
            assertEquals(8, colours.size());
            assertEquals(8, directions.size());
        }
    }
}
