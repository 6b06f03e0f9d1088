package dev.topiary.surgery.graph;

/**
 * One stretch of a tensor's channel axis that belongs to one channel group. A node's output is one
 * segment unless it concatenates (a MergeVertex); a layer reading through a CNN-to-dense flattening
 * reads each channel as a block of {@code H*W} consecutive rows.
 *
 * @param group the {@link ChannelGroup} id
 * @param block rows per channel: 1, or {@code H*W} behind a flattening (NCHW flattens as
 *     {@code c*H*W + h*W + w}, so channel {@code c} owns rows {@code [c*H*W, (c+1)*H*W)})
 */
public record Segment(int group, int block) {
}
