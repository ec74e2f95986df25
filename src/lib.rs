//! keymeter: where an organization's OpenAI API money goes, key by key.
//!
//! `domain` and the pure parts of `api` build and test natively; storage,
//! the sync engine and the UI touch the browser and build for `wasm32`
//! only.

pub mod api;
pub mod charts;
pub mod domain;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod sync;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod vault;
