package io.vidrd.engine.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vidrd.engine.json.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer, loaded from a diffusers {@code tokenizer/} folder, with the
 * semantics of transformers 4.30.2's slow {@code CLIPTokenizer} when ftfy is installed (the
 * official VidRD environment), called as {@code tokenizer(text, padding="max_length",
 * max_length=model_max_length, truncation=True)}.
 *
 * <p>Per prompt: special tokens (BOS, EOS, UNK, PAD and any additional ones) are cut out first
 * and map straight to their ids — in SD 2.x the pad token is {@code "!"}, so every {@code !} of
 * a prompt becomes id 0 without BPE; each other piece is cleaned ({@link TextFixer}, the covered
 * part of ftfy), whitespace-collapsed, stripped and lower-cased, split by CLIP's pre-token
 * pattern, mapped to the byte alphabet and BPE-encoded; the first {@code model_max_length − 2}
 * ids are kept between BOS and EOS and the rest is padded with the pad id.
 *
 * <p>Instances are immutable apart from a bounded BPE memo and safe to share between threads.
 */
public final class ClipTokenizer {

    /** The vocabulary file of a tokenizer folder. */
    public static final String VOCAB_FILE = "vocab.json";
    /** The merge-rules file of a tokenizer folder. */
    public static final String MERGES_FILE = "merges.txt";

    /** CLIP's hard-coded pre-token pattern; the two special strings in it are CLIP's own. */
    private static final Pattern PRE_TOKEN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
                    + "|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** Byte symbols plus their {@code </w>} forms, and the two CLIP specials. */
    private static final int NON_MERGE_ENTRIES = 256 + 256 + 2;
    /** Bounds the id → token table; real CLIP vocabularies stay far below. */
    private static final int MAX_ID = 1 << 24;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final ByteAlphabet alphabet = new ByteAlphabet();
    private final BytePairEncoder bpe;
    private final SpecialTokenSplitter splitter;
    private final int maxLength;
    private final int bosId;
    private final int eosId;
    private final int unkId;
    private final int padId;

    private ClipTokenizer(Map<String, Integer> vocab, Map<String, Integer> mergeRanks,
            SpecialTokens specials, Path dir) throws IOException {
        this.vocab = Map.copyOf(vocab);
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.idToToken = new String[maxId + 1];
        vocab.forEach((token, id) -> idToToken[id] = token);
        this.bpe = new BytePairEncoder(mergeRanks, List.of("<|startoftext|>", "<|endoftext|>"));
        this.splitter = new SpecialTokenSplitter(specials.noSplit());
        this.maxLength = specials.modelMaxLength();
        for (String special : specials.noSplit()) {
            if (!vocab.containsKey(special)) {
                throw new IOException(dir.resolve(VOCAB_FILE) + ": special token '" + special
                        + "' from the tokenizer configuration is not in the vocabulary");
            }
        }
        this.bosId = vocab.get(specials.bos());
        this.eosId = vocab.get(specials.eos());
        this.unkId = vocab.get(specials.unk());
        this.padId = vocab.get(specials.pad());
    }

    /**
     * Loads a tokenizer folder: {@code vocab.json} and {@code merges.txt} (required),
     * {@code tokenizer_config.json} (required, for {@code model_max_length} and the special
     * tokens) and {@code special_tokens_map.json} (optional; overrides the config's tokens).
     *
     * <p>As in transformers, the first line of {@code merges.txt} is a header and is skipped,
     * and only as many merges are used as the vocabulary has merged tokens (vocabulary size
     * − 256 byte symbols − 256 end-of-word byte symbols − 2 specials; 48,894 for SD).
     *
     * @param tokenizerDir the folder
     * @return the tokenizer
     * @throws IOException naming the file that is missing or malformed
     */
    public static ClipTokenizer load(Path tokenizerDir) throws IOException {
        if (!Files.isDirectory(tokenizerDir)) {
            throw new IOException("tokenizer folder not found: " + tokenizerDir);
        }
        Map<String, Integer> vocab = readVocab(tokenizerDir.resolve(VOCAB_FILE));
        Map<String, Integer> ranks = readMerges(tokenizerDir.resolve(MERGES_FILE),
                vocab.size() - NON_MERGE_ENTRIES);
        SpecialTokens specials = SpecialTokens.read(tokenizerDir);
        return new ClipTokenizer(vocab, ranks, specials, tokenizerDir);
    }

    /**
     * @param text a prompt (any Unicode; {@code ""} gives BOS, EOS and padding)
     * @return exactly {@link #maxLength()} ids, truncated and padded as the pipeline does
     */
    public TokenizedPrompt encode(String text) {
        int[] content = contentIds(text);
        int keep = Math.min(content.length, maxLength - 2);
        int[] ids = new int[maxLength];
        Arrays.fill(ids, padId);
        ids[0] = bosId;
        System.arraycopy(content, 0, ids, 1, keep);
        ids[keep + 1] = eosId;
        String cut = keep < content.length
                ? decode(Arrays.copyOfRange(content, keep, content.length)) : "";
        return new TokenizedPrompt(ids, content.length, cut);
    }

    /**
     * @param text a prompt
     * @return the token strings between BOS and EOS, untruncated (BPE symbols with
     *     {@code </w>} marking word ends, special tokens as themselves)
     */
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (SpecialTokenSplitter.Piece piece : splitter.split(text)) {
            if (piece.special()) {
                tokens.add(piece.text());
            } else {
                tokens.addAll(bpeTokens(piece.text()));
            }
        }
        return List.copyOf(tokens);
    }

    /**
     * Turns ids back into text like transformers' {@code decode} (special tokens kept, word ends
     * as spaces, tokenization spaces cleaned up). Meant for messages; not an exact inverse.
     *
     * @param ids token ids
     * @return the text
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public String decode(int[] ids) {
        StringBuilder symbols = new StringBuilder();
        for (int id : ids) {
            if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary");
            }
            symbols.append(idToToken[id]);
        }
        String text = new String(alphabet.decode(symbols), StandardCharsets.UTF_8);
        text = PythonText.strip(text.replace(BytePairEncoder.END_OF_WORD, " "));
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m")
                .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }

    /** @return ids per sequence including BOS, EOS and padding ({@code model_max_length}) */
    public int maxLength() {
        return maxLength;
    }

    /** @return number of vocabulary entries */
    public int vocabSize() {
        return vocab.size();
    }

    /** @return id of the beginning-of-text token */
    public int bosId() {
        return bosId;
    }

    /** @return id of the end-of-text token */
    public int eosId() {
        return eosId;
    }

    /** @return id used for pieces missing from the vocabulary */
    public int unkId() {
        return unkId;
    }

    /** @return id of the padding token (0, i.e. {@code "!"}, for SD 2.x) */
    public int padId() {
        return padId;
    }

    private int[] contentIds(String text) {
        List<String> tokens = tokenize(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.getOrDefault(tokens.get(i), unkId);
        }
        return ids;
    }

    private List<String> bpeTokens(String piece) {
        String clean = PythonText.collapseWhitespace(TextFixer.fix(piece)).toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        Matcher m = PRE_TOKEN.matcher(clean);
        while (m.find()) {
            String word = alphabet.encode(m.group().getBytes(StandardCharsets.UTF_8));
            tokens.addAll(bpe.encode(word));
        }
        return tokens;
    }

    private static Map<String, Integer> readVocab(Path file) throws IOException {
        JsonElement parsed = JsonFiles.parse(file, readRequired(file));
        if (!(parsed instanceof JsonObject map) || map.size() == 0) {
            throw new IOException(file + ": expected a non-empty JSON object of token → id");
        }
        Map<String, Integer> vocab = new HashMap<>(map.size() * 2);
        for (Map.Entry<String, JsonElement> e : map.entrySet()) {
            Long id = JsonFiles.integral(e.getValue());
            if (id == null || id < 0 || id >= MAX_ID) {
                throw new IOException(file + ": id of token '" + e.getKey()
                        + "' is not an integer in [0, 2^24): " + JsonFiles.display(e.getValue()));
            }
            vocab.put(e.getKey(), id.intValue());
        }
        if (vocab.size() < NON_MERGE_ENTRIES) {
            throw new IOException(file + ": " + vocab.size() + " entries cannot hold CLIP's 514"
                    + " byte and special tokens");
        }
        return vocab;
    }

    private static Map<String, Integer> readMerges(Path file, int mergeLimit) throws IOException {
        // transformers: merges_handle.read().strip().split("\n")[1:limit + 1]
        String[] lines = PythonText.strip(readRequired(file)).split("\n", -1);
        int count = Math.min(lines.length - 1, mergeLimit);
        Map<String, Integer> ranks = new HashMap<>(Math.max(16, count * 2));
        for (int i = 1; i <= count; i++) {
            String[] pair = PythonText.strip(lines[i]).split("[ \\t]+");
            if (pair.length != 2) {
                throw new IOException(file + ": line " + (i + 1) + " is not a pair of symbols: '"
                        + lines[i] + "'");
            }
            ranks.put(pair[0] + " " + pair[1], i - 1);
        }
        return ranks;
    }

    private static String readRequired(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("tokenizer file missing: " + file);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
