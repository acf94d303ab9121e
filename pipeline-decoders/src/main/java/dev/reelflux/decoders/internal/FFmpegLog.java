package dev.reelflux.decoders.internal;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.IntSupplier;
import java.util.function.Supplier;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_DEBUG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_VERBOSE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

/**
 * Sends FFmpeg's log to SLF4J (logger {@code dev.reelflux.decoders.ffmpeg}) instead of stderr. FFmpeg's level is set
 * from the levels SLF4J has enabled when the first decoder starts, so messages nobody would see are not even
 * formatted. The callback is process-wide, as FFmpeg's log is.
 */
final class FFmpegLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.reelflux.decoders.ffmpeg");
    private static final Callback CALLBACK = new Callback();
    private static final ThreadLocal<Boolean> MUTED = ThreadLocal.withInitial(() -> false);
    private static final ThreadLocal<Boolean> QUIET = ThreadLocal.withInitial(() -> false);
    private static boolean installed;

    private FFmpegLog() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        av_log_set_level(LOG.isTraceEnabled() ? AV_LOG_DEBUG
                : LOG.isDebugEnabled() ? AV_LOG_VERBOSE
                : LOG.isInfoEnabled() ? AV_LOG_INFO
                : LOG.isWarnEnabled() ? AV_LOG_WARNING
                : LOG.isErrorEnabled() ? AV_LOG_ERROR
                : AV_LOG_QUIET);
        setLogCallback(CALLBACK);
        installed = true;
    }

    /**
     * Drops what FFmpeg logs from now on on this thread: a decode thread whose decode was stopped, where FFmpeg goes
     * on to complain about the packet it was reading when its input was cut. The thread ends with its decode.
     */
    static void muteCurrentThread() {
        MUTED.set(true);
    }

    /**
     * Runs {@code call} with what FFmpeg logs on this thread meanwhile dropped: for a read of data known to be void,
     * which FFmpeg would complain about to no purpose.
     */
    static int quietlyOnThisThread(IntSupplier call) {
        boolean quiet = QUIET.get();
        QUIET.set(true);
        try {
            return call.getAsInt();
        } finally {
            QUIET.set(quiet);
        }
    }

    /** Runs {@code call} with FFmpeg's log silenced: for a probe whose failure is expected and reported by us. */
    static synchronized <T> T quietly(Supplier<T> call) {
        install();
        int level = av_log_get_level();
        av_log_set_level(AV_LOG_QUIET);
        try {
            return call.get();
        } finally {
            av_log_set_level(level);
        }
    }

    private static final class Callback extends LogCallback {
        @Override
        public void call(int level, BytePointer line) {
            if (MUTED.get() || QUIET.get()) {
                return;
            }
            String message = line.getString().strip();
            if (message.isEmpty()) {
                return;
            }
            if (level <= AV_LOG_ERROR) {
                LOG.error(message);
            } else if (level <= AV_LOG_WARNING) {
                LOG.warn(message);
            } else if (level <= AV_LOG_INFO) {
                LOG.info(message);
            } else if (level <= AV_LOG_VERBOSE) {
                LOG.debug(message);
            } else {
                LOG.trace(message);
            }
        }
    }
}
