package io.vidrd.runtime.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;

/**
 * Reads PyTorch zip checkpoints ({@code .pth}, {@code .bin}, {@code .ckpt}, as written by
 * {@code torch.save} since torch 1.6): a zip with one top folder of any name holding
 * {@code data.pkl}, {@code byteorder} and the raw storages {@code data/<key>}.
 *
 * <p>Safe: {@code data.pkl} is decoded by a restricted unpickler that calls nothing. Tensor
 * rebuilds, {@code OrderedDict}, sets and the like are interpreted; every other global (e.g.
 * {@code os.system}, {@code pathlib.PosixPath}, {@code argparse.Namespace}) becomes an inert
 * {@link PickledObject}. Streaming: only {@code data.pkl} is decoded when opening; each tensor's
 * bytes are read from the file when {@link TensorRecord#read()} is called.
 */
public final class PyTorchCheckpointReader {
    private PyTorchCheckpointReader() {}

    /**
     * Opens the state dict: if the top-level object is a dict with a dict under
     * {@code "state_dict"} (Lightning checkpoints such as {@code ModelT2V.pth}), that; otherwise
     * the top-level dict, which must map strings to tensors.
     *
     * @param file a PyTorch zip checkpoint
     * @return its state dict, file kept open until the state dict is closed
     * @throws CheckpointException if the file is not a readable checkpoint or the state dict holds
     *     anything but tensors (the message names the file, and the key and global if any)
     */
    public static StateDict openStateDict(Path file) throws IOException {
        PickledCheckpoint checkpoint = open(file);
        try {
            return checkpoint.defaultStateDict(true);
        } catch (IOException | RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    /**
     * Opens a checkpoint and decodes its {@code data.pkl} without executing anything.
     *
     * @param file a PyTorch zip checkpoint
     * @return the decoded checkpoint, file kept open until it is closed
     * @throws CheckpointException if the file is empty, truncated, not a zip, has no
     *     {@code data.pkl}, or its pickle is corrupt or uses unsupported features
     */
    public static PickledCheckpoint open(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        checkSignature(file, head);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(file, "truncated or corrupt PyTorch checkpoint: the file starts like a zip "
                    + "archive but cannot be read as one (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        TorchZipArchive archive = TorchZipArchive.open(file, zip);
        try {
            Object root;
            RestrictedUnpickler unpickler = new RestrictedUnpickler(archive);
            try (InputStream in = archive.openPickle()) {
                root = unpickler.load(in, archive.dataPkl.getSize());
            } catch (RuntimeException e) {
                // PickleException, or the library tripping over malformed input (bad casts, empty stack, ...)
                throw new CheckpointException(file, "cannot decode " + archive.dataPkl.getName() + ": "
                        + (e instanceof PickleException ? e.getMessage() : e.toString()), e);
            } catch (StackOverflowError e) {
                throw new CheckpointException(file, "cannot decode " + archive.dataPkl.getName()
                        + ": nested too deeply", null);
            } catch (CheckpointException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointException(file, "truncated or corrupt " + archive.dataPkl.getName() + ": "
                        + e.getMessage(), e);
            } finally {
                unpickler.close();
            }
            return new PickledCheckpoint(archive, root);
        } catch (IOException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    private static void checkSignature(Path file, byte[] head) throws CheckpointException {
        if (head.length == 0) {
            throw new CheckpointException(file, "empty file (0 bytes): not a checkpoint");
        }
        if (FileSignatures.isZip(head)) {
            return;
        }
        if (FileSignatures.isSafetensors(head)) {
            throw new CheckpointException(file, "this is a safetensors file, not a PyTorch zip checkpoint");
        }
        if (FileSignatures.isPickle(head)) {
            throw new CheckpointException(file, "legacy (pre-1.6, non-zip) PyTorch serialization or a bare pickle "
                    + "is not supported: re-save it with a recent torch.save or convert it to safetensors");
        }
        throw new CheckpointException(file, "not a PyTorch checkpoint: it does not start with a zip signature");
    }
}
