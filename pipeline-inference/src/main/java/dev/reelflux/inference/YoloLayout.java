package dev.reelflux.inference;

/** How a YOLO detection head lays out its output tensor. */
public enum YoloLayout {

    /**
     * YOLOv8 / YOLO11 (Ultralytics export): {@code [N, 4 + nc, A]}, channels first: per anchor cx, cy, w, h, then one
     * score per class. Pose heads append K keypoints: {@code [N, 4 + nc + 3K, A]}, each x, y, confidence.
     */
    V8,

    /**
     * YOLOv5: {@code [N, A, 5 + nc]}, anchors first: per anchor cx, cy, w, h, objectness, then one probability per
     * class; a box's score is objectness times its best class probability.
     */
    V5
}
