package io.vidrd.vae.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vidrd.runtime.ComputeTarget;
import io.vidrd.runtime.Torch;
import io.vidrd.runtime.codec.DecodeOptions;
import io.vidrd.runtime.codec.LatentDistribution;
import io.vidrd.runtime.golden.CaseResult;
import io.vidrd.runtime.golden.GoldenSet;
import io.vidrd.runtime.golden.TensorResult;
import io.vidrd.vae.codec.CodecKind;
import io.vidrd.vae.codec.VaeLatentCodec;
import io.vidrd.vae.model.VaeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the VAE cases of a golden folder through {@link VaeLatentCodec}s built from that folder's
 * own VAEs ({@code image} from {@code stable-diffusion-2-1-base/vae}, {@code vidrd} and
 * {@code temporal} from {@code vae_finetuned}) and compares every output with the folder's
 * tolerances. Cases are recognised by name and structure as the golden README defines them:
 * {@code <vae>.decode} (raw decoder; an output described with {@code num_frames=N}, N ≠ 1, runs the
 * temporal codec with clips of N frames, N = the input's frame count when symbolic),
 * {@code *.encode} (mean and log-variance of each listed VAE; the fine-tuned VAE's encoder is
 * checked through both the {@code vidrd} and the {@code temporal} codec) and {@code decode_latents}
 * (the pipeline's decode with the {@code vidrd} codec). Shapes and frame counts all come from the
 * folder. {@code vae_plain} tensors belong to the plain VAE, {@code vae_temporal} ones to the
 * fine-tuned VAE.
 *
 * <p>Codecs are loaded on first use and kept until {@link #close()}. Not thread-safe.
 */
public final class VaeGoldenRunner implements AutoCloseable {

    private static final Pattern NUM_FRAMES = Pattern.compile("num_frames\\s*=\\s*(\\w+)");
    private static final String PLAIN = "vae_plain";
    private static final String FINETUNED = "vae_temporal";

    private final GoldenSet golden;
    private final NDManager manager;
    private final ComputeTarget target;
    private final String weightsName;
    private final String label;
    private final Map<CodecKind, VaeLatentCodec> codecs = new EnumMap<>(CodecKind.class);

    private VaeGoldenRunner(GoldenSet golden, NDManager manager, ComputeTarget target, String weightsName) {
        this.golden = golden;
        this.manager = manager;
        this.target = target;
        this.weightsName = weightsName;
        this.label = weightsName == null ? "" : " [" + extension(weightsName) + "]";
    }

    /**
     * @param dir a golden folder (golden.json, golden.safetensors and the VAE folders)
     * @param target where the codecs compute (fp32 for parity)
     * @param weightsName the weights file to load in every VAE folder ({@link VaeFiles#SAFETENSORS},
     *     {@link VaeFiles#BIN}), or {@code null} for the codecs' default choice; when given, case
     *     names carry the format, e.g. {@code vae_plain.decode [bin]}
     * @return the runner; close it to free the codecs
     * @throws IOException if the folder is not a golden folder
     */
    public static VaeGoldenRunner open(Path dir, ComputeTarget target, String weightsName) throws IOException {
        GoldenSet golden = GoldenSet.open(dir);
        try {
            return new VaeGoldenRunner(golden, Torch.newManager(target.device()), target, weightsName);
        } catch (RuntimeException | Error e) {
            golden.close();
            throw e;
        }
    }

    /**
     * @param dir a golden folder
     * @return the weights file names ({@link VaeFiles#SAFETENSORS}, then {@link VaeFiles#BIN}) that
     *     every VAE folder of the layout holds
     */
    public static List<String> weightFormats(Path dir) {
        List<String> out = new ArrayList<>();
        for (String name : List.of(VaeFiles.SAFETENSORS, VaeFiles.BIN)) {
            boolean everywhere = true;
            for (CodecKind k : CodecKind.values()) {
                everywhere &= Files.isRegularFile(k.vaeFolder(dir).resolve(name));
            }
            if (everywhere) {
                out.add(name);
            }
        }
        return out;
    }

    /** @param name a case name @return whether it is a VAE case */
    public static boolean isVaeCase(String name) {
        return name.startsWith("vae") || name.equals("decode_latents");
    }

    /** @return the VAE cases of the folder, in file order */
    public List<String> vaeCases() {
        return golden.caseNames().stream().filter(VaeGoldenRunner::isVaeCase).toList();
    }

    /** @return the results of every VAE case */
    public List<CaseResult> runAll() {
        return vaeCases().stream().map(this::run).toList();
    }

    /**
     * Runs one case; failures of any kind (a missing tensor, a VAE that does not load, an exception
     * in a codec) come back as failed results rather than exceptions.
     *
     * @param name a case of {@link #vaeCases()}
     * @return its results, named {@code name} plus the weights format when one was chosen
     */
    public CaseResult run(String name) {
        return golden.runCase(name, name + label, manager, (m, p, results) -> {
            if (name.equals("decode_latents")) {
                decodeLatentsCase(m, p, results);
            } else if (name.endsWith(".encode")) {
                encodeCase(m, p, results);
            } else if (name.endsWith(".decode")) {
                decodeCase(m, name, p, results);
            } else {
                throw new IllegalArgumentException(name + " is not a VAE case this runner knows");
            }
        });
    }

    private void decodeCase(NDManager m, String name, JsonObject p, List<TensorResult> results) throws IOException {
        String in = GoldenSet.tensorName(p.get("in").getAsString());
        NDArray z = golden.tensor(m, in);
        String vae = name.substring(0, name.indexOf('.'));
        for (Map.Entry<String, JsonElement> e : p.entrySet()) {
            if (!e.getKey().startsWith("out") || !e.getValue().isJsonPrimitive()) {
                continue;
            }
            String description = e.getValue().getAsString();
            String out = GoldenSet.tensorName(description);
            int clip = numFrames(description, z);
            CodecKind kind;
            if (vae.equals(PLAIN)) {
                kind = CodecKind.IMAGE;
            } else if (vae.equals(FINETUNED)) {
                kind = clip == 1 ? CodecKind.VIDRD : CodecKind.TEMPORAL;
            } else {
                results.add(TensorResult.check(out, false, "unknown VAE '" + vae + "'"));
                continue;
            }
            DecodeOptions options = DecodeOptions.defaults().withClipFrames(kind.temporal() ? clip : 0);
            results.add(golden.compare(out, codec(kind).decodeFrames(z, options)));
        }
    }

    /**
     * The decoder's {@code num_frames} of an output description: 1 (the default, every temporal
     * layer skipped) unless it says {@code num_frames=N}; a symbolic N means all frames of the input.
     */
    private static int numFrames(String description, NDArray z) {
        Matcher mf = NUM_FRAMES.matcher(description);
        if (!mf.find()) {
            return 1;
        }
        String v = mf.group(1);
        return v.chars().allMatch(Character::isDigit) ? Integer.parseInt(v) : Math.toIntExact(z.getShape().get(0));
    }

    private void encodeCase(NDManager m, JsonObject p, List<TensorResult> results) throws IOException {
        NDArray x = golden.tensor(m, GoldenSet.tensorName(p.get("in").getAsString()));
        List<String> outs = new ArrayList<>();
        JsonElement o = p.get("out");
        if (o.isJsonArray()) {
            o.getAsJsonArray().forEach(t -> outs.add(GoldenSet.tensorName(t.getAsString())));
        } else {
            outs.add(GoldenSet.tensorName(o.getAsString()));
        }
        for (String out : outs) {
            String vae = out.substring(0, out.indexOf('.'));
            List<CodecKind> kinds = vae.equals(PLAIN) ? List.of(CodecKind.IMAGE)
                    : vae.equals(FINETUNED) ? List.of(CodecKind.VIDRD, CodecKind.TEMPORAL) : List.of();
            if (kinds.isEmpty()) {
                results.add(TensorResult.check(out, false, "unknown VAE '" + vae + "'"));
                continue;
            }
            boolean mean = out.endsWith(".mean");
            if (!mean && !out.endsWith(".logvar")) {
                results.add(TensorResult.check(out, false, "neither a mean nor a logvar"));
                continue;
            }
            for (CodecKind k : kinds) {
                LatentDistribution d = codec(k).encode(x);
                String name = k == kinds.get(0) ? out : out + " (" + k.id() + " codec)";
                results.add(golden.compare(name, out, mean ? d.mean() : d.logvar()));
            }
        }
    }

    private void decodeLatentsCase(NDManager m, JsonObject p, List<TensorResult> results) throws IOException {
        NDArray latents = golden.tensor(m, GoldenSet.tensorName(p.get("in").getAsString()));
        String out = GoldenSet.tensorName(p.get("out").getAsString());
        results.add(golden.compare(out, codec(CodecKind.VIDRD).decode(latents, DecodeOptions.defaults())));
    }

    private VaeLatentCodec codec(CodecKind kind) throws IOException {
        VaeLatentCodec c = codecs.get(kind);
        if (c == null) {
            Path folder = kind.vaeFolder(golden.dir());
            VaeFiles files = weightsName == null ? VaeFiles.in(folder) : VaeFiles.in(folder, weightsName);
            c = VaeLatentCodec.open(kind, files, target, 0, "golden");
            codecs.put(kind, c);
        }
        return c;
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? fileName : fileName.substring(dot + 1);
    }

    /** Frees the codecs, the inputs' manager and the tensor file. */
    @Override
    public void close() {
        try {
            codecs.values().forEach(VaeLatentCodec::close);
            codecs.clear();
            manager.close();
        } finally {
            golden.close();
        }
    }
}
