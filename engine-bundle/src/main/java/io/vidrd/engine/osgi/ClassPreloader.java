package io.vidrd.engine.osgi;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;

/**
 * Loads, through this bundle's class loader, every class of the bundle and every class their
 * constant pools name.
 *
 * <p>Why: an engine drains in the background after it stops. When the stop is a
 * {@code Bundle.update} of a bundle nobody imports from, the framework refreshes it at once and
 * the old revision's class loader refuses to load anything new ("the bundle wiring is no longer
 * valid"), while the old engine's jobs may still be running or being cancelled. The JVM keeps
 * the classes a loader has already loaded or been asked for, so loading them all up front lets
 * the drain finish without touching the closed jar. It costs a few milliseconds per activation.
 */
final class ClassPreloader {

    private static final System.Logger LOG = System.getLogger(ClassPreloader.class.getName());
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+);");

    private ClassPreloader() {}

    /**
     * @param bundle the bundle whose classes to load
     * @param loader its class loader
     * @return how many classes are now loaded through it
     */
    static int preload(Bundle bundle, ClassLoader loader) {
        Set<String> names = new HashSet<>();
        Enumeration<URL> entries = bundle.findEntries("/", "*.class", true);
        if (entries == null) {
            return 0;
        }
        while (entries.hasMoreElements()) {
            URL url = entries.nextElement();
            String path = url.getPath();
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (path.startsWith("META-INF/") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) {
                continue;
            }
            names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
            try (InputStream in = url.openStream()) {
                referencedClasses(in, names);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "cannot read " + url + ": " + e);
            }
        }
        int loaded = 0;
        for (String n : names) {
            try {
                Class.forName(n, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // optional imports and the like: the code that names them cannot run either
            }
        }
        return loaded;
    }

    /** Adds the class names in the constant pool: Class entries and types in descriptors. */
    private static void referencedClasses(InputStream raw, Set<String> out) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        if (in.readInt() != 0xCAFEBABE) {
            return;
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf = new String[count];
        int[] classIndex = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf[i] = in.readUTF();
                case 7 -> classIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        for (int i = 1; i < count; i++) {
            if (classIndex[i] != 0 && utf[classIndex[i]] != null) {
                String name = utf[classIndex[i]];
                if (name.startsWith("[")) {
                    addDescriptorTypes(name, out);
                } else {
                    out.add(name.replace('/', '.'));
                }
            } else if (utf[i] != null && (utf[i].startsWith("(") || utf[i].startsWith("L") || utf[i].startsWith("["))) {
                addDescriptorTypes(utf[i], out);
            }
        }
    }

    private static void addDescriptorTypes(String descriptor, Set<String> out) {
        Matcher m = DESCRIPTOR_CLASS.matcher(descriptor);
        while (m.find()) {
            out.add(m.group(1).replace('/', '.'));
        }
    }
}
