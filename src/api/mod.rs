//! The OpenAI Admin API: reply types, URLs, paging and error
//! classification (pure), and the browser client that sends requests.

#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod endpoints;
pub mod error;
pub mod paging;
pub mod saved;
pub mod types;

pub use error::ApiError;
