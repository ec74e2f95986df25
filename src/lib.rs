//! keymeter: where an organization's OpenAI API money goes, key by key.
//!
//! `domain` and the pure parts of `api` build and test natively; everything
//! that touches the browser is compiled for `wasm32` only.

pub mod api;
pub mod domain;
