package dev.reelflux.inference.internal;

import ai.djl.Device;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device names as users write them ({@code cpu}, {@code cuda:1}) to DJL devices. DJL's own {@code Device.fromName}
 * knows {@code gpu1} but not the {@code cuda:N} that PyTorch users type.
 */
public final class DeviceNames {

    private static final Pattern GPU = Pattern.compile("(?:cuda|gpu):?(\\d*)");

    private DeviceNames() {
    }

    /** The GPU index {@code name} asks for, -1 for the CPU; throws {@link IllegalArgumentException} for other names. */
    public static int gpuIndex(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("cpu")) {
            return -1;
        }
        Matcher matcher = GPU.matcher(lower);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("unknown device '" + name + "': use cpu, cuda or cuda:N");
        }
        return matcher.group(1).isEmpty() ? 0 : Integer.parseInt(matcher.group(1));
    }

    /**
     * The device for {@code name} (null: the first GPU if there is one, else the CPU), given {@code gpuCount} visible
     * GPUs; throws {@link IllegalArgumentException} when the named GPU is not there.
     */
    public static Device resolve(String name, int gpuCount) {
        if (name == null) {
            return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        }
        int index = gpuIndex(name);
        if (index < 0) {
            return Device.cpu();
        }
        if (index >= gpuCount) {
            throw new IllegalArgumentException("device " + name + " asked for, but " + gpuCount + " GPUs are visible");
        }
        return Device.gpu(index);
    }
}
