package dev.reelflux.inference.internal;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceNamesTest {

    @Test
    void readsPyTorchAndDjlSpellings() {
        assertThat(DeviceNames.gpuIndex("cpu")).isEqualTo(-1);
        assertThat(DeviceNames.gpuIndex("cuda")).isZero();
        assertThat(DeviceNames.gpuIndex("cuda:3")).isEqualTo(3);
        assertThat(DeviceNames.gpuIndex("gpu1")).isEqualTo(1);
    }

    @Test
    void picksTheFirstGpuWhenThereIsOneElseTheCpu() {
        assertThat(DeviceNames.resolve(null, 2)).isEqualTo(Device.gpu(0));
        assertThat(DeviceNames.resolve(null, 0)).isEqualTo(Device.cpu());
        assertThat(DeviceNames.resolve("cpu", 2)).isEqualTo(Device.cpu());
        assertThat(DeviceNames.resolve("cuda:1", 2)).isEqualTo(Device.gpu(1));
    }

    @Test
    void refusesAGpuThatIsNotThere() {
        assertThatThrownBy(() -> DeviceNames.resolve("cuda:1", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device cuda:1 asked for, but 1 GPUs are visible");
    }
}
