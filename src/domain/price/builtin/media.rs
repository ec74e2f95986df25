//! List prices of embeddings, moderation, audio, realtime and image models.
//!
//! Token prices are USD per 1M tokens (input, cached input, output; `-`
//! for none); speech is per 1M characters, transcription per second and
//! images per image.

use super::{characters, images, seconds, tokens, Spec};

pub(super) fn specs() -> Vec<Spec> {
    vec![
        // Embeddings read input only.
        tokens("text-embedding-3-small", "0.02", "-", "-"),
        tokens("text-embedding-3-large", "0.13", "-", "-"),
        tokens("text-embedding-ada-002", "0.10", "-", "-"),
        // Moderation is free; the text-moderation names alias to this.
        tokens("omni-moderation", "0", "-", "0"),
        // Realtime and audio models: text tokens, then audio tokens.
        tokens("gpt-realtime", "4", "0.40", "16")
            .audio("32", "0.40", "64")
            .image_tokens("5", "0.50", "-"),
        tokens("gpt-realtime-mini", "0.60", "0.06", "2.40")
            .audio("10", "0.30", "20"),
        tokens("gpt-4o-realtime-preview", "5", "2.50", "20")
            .audio("40", "2.50", "80"),
        tokens("gpt-4o-realtime-preview-2024-10-01", "5", "2.50", "20")
            .audio("100", "20", "200"),
        tokens("gpt-4o-mini-realtime-preview", "0.60", "0.30", "2.40")
            .audio("10", "0.30", "20"),
        tokens("gpt-4o-audio-preview", "2.50", "-", "10")
            .audio("40", "-", "80"),
        tokens("gpt-4o-audio-preview-2024-10-01", "2.50", "-", "10")
            .audio("100", "-", "200"),
        tokens("gpt-4o-mini-audio-preview", "0.15", "-", "0.60")
            .audio("10", "-", "20"),
        // Speech: per 1M characters, or tokens for the newer model (whose
        // usage rows count characters, so they stay unpriced there).
        characters("tts-1", "15"),
        characters("tts-1-hd", "30"),
        tokens("gpt-4o-mini-tts", "0.60", "-", "-").audio("-", "-", "12"),
        // Transcription: whisper-1 is $0.006 a minute; the newer models
        // bill tokens, which rows counting seconds cannot price.
        seconds("whisper-1", "0.0001"),
        tokens("gpt-4o-transcribe", "2.50", "-", "10").audio("6", "-", "-"),
        tokens("gpt-4o-mini-transcribe", "1.25", "-", "5").audio("3", "-", "-"),
        // Images. gpt-image-1 bills tokens and its per-image price depends
        // on a quality that usage rows do not carry, so image counts of it
        // stay unpriced.
        tokens("gpt-image-1", "5", "1.25", "-")
            .image_tokens("10", "2.50", "40"),
        images(
            "dall-e-3",
            &[
                ("1024x1024", "standard", "0.04"),
                ("1024x1792", "standard", "0.08"),
                ("1792x1024", "standard", "0.08"),
                ("1024x1024", "hd", "0.08"),
                ("1024x1792", "hd", "0.12"),
                ("1792x1024", "hd", "0.12"),
            ],
        ),
        images(
            "dall-e-2",
            &[
                ("1024x1024", "", "0.02"),
                ("512x512", "", "0.018"),
                ("256x256", "", "0.016"),
            ],
        ),
    ]
}
