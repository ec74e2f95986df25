//! Test harness for keymeter: a local stand-in for the OpenAI Admin API and
//! a static file server for the built app, both on 127.0.0.1 only.
//!
//! The end-to-end tests drive a real browser against these two servers, so
//! no test ever needs a real admin key or sends traffic off the machine.
//! The mock serves the same made-up organization as the app's demo mode
//! (`keymeter::domain::demo`), which gives every test known totals.

pub mod mock;
mod server;
pub mod static_site;
mod tls;

pub use mock::{
    start, start_on, Fault, FaultKind, MockConfig, MockServer, RecordedRequest,
};
pub use static_site::{serve_dir, StaticServer};
