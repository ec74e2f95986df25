//! Storage failures, in words the user can act on.

/// A failed IndexedDB operation. `Clone`, so that pages written in one
/// transaction can each be told how it went.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "The browser's storage could not be opened. Private windows and \
         some privacy settings block it; keymeter needs it to keep data."
    )]
    Open(String),
    #[error(
        "The browser's storage for this site is full. Nothing from this \
         step was saved; free space or remove old data, then try again."
    )]
    QuotaExceeded,
    #[error("Saving to the browser's storage failed: {0}")]
    Write(String),
    #[error("Reading the browser's storage failed: {0}")]
    Read(String),
    #[error("A stored record could not be read back: {0}")]
    Decode(String),
}

impl StorageError {
    /// Classifies a write failure, telling a full disk from other faults.
    pub fn write(error: impl std::fmt::Debug) -> Self {
        let text = format!("{error:?}");
        if text.contains("QuotaExceeded") {
            StorageError::QuotaExceeded
        } else {
            StorageError::Write(text)
        }
    }

    pub fn read(error: impl std::fmt::Debug) -> Self {
        StorageError::Read(format!("{error:?}"))
    }
}
