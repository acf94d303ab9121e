package consumer;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * This project is a module that requires reelflux's from the module path: each library module exports its API
 * package to everyone and its internal package to reelflux's own modules only.
 */
class ModulesTest {

    @Test
    void theApiPackagesAreExportedAndTheInternalOnesOnlyToReelflux() {
        Module user = ModulesTest.class.getModule();
        assertEquals("consumer", user.getName(), "the tests run inside the user's module");
        Map<String, String> packages = Map.of(
                "dev.reelflux.core", "dev.reelflux.core.internal",
                "dev.reelflux.decoders", "dev.reelflux.decoders.internal",
                "dev.reelflux.inference", "dev.reelflux.inference.internal");
        ModuleLayer layer = user.getLayer();
        packages.forEach((name, internal) -> {
            Module module = layer.findModule(name).orElseThrow(() -> new AssertionError(name + " not resolved"));
            assertTrue(module.getDescriptor() != null && !module.getDescriptor().isAutomatic(), name + " is explicit");
            assertTrue(module.isExported(name, user), name + " exports its API");
            assertFalse(module.isExported(internal, user), name + " keeps " + internal + " from users");
            assertFalse(module.isOpen(internal, user), name + " keeps " + internal + " closed to reflection");
        });
        Module core = layer.findModule("dev.reelflux.core").orElseThrow();
        for (String own : Set.of("dev.reelflux.decoders", "dev.reelflux.inference")) {
            assertTrue(core.isExported("dev.reelflux.core.internal", layer.findModule(own).orElseThrow()),
                    own + " reads the core's internal package");
        }
    }
}
