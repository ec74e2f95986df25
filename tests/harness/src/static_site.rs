//! Serving the built app (`dist/`) the way a static host would, so the
//! end-to-end tests load it over HTTP under the same URL prefix as in
//! production.
//!
//! Paths under the prefix that match no file get `index.html`, as a
//! single-page app host does, so a reload on a deep link still works.
//! [`serve_dir_as_pages`] answers them as GitHub Pages does instead: with
//! the site's `404.html` and status 404.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::server::{self, Running};

/// A running static file server. Dropping it stops the server.
pub struct StaticServer {
    prefix: String,
    running: Running,
}

impl StaticServer {
    /// The address the server listens on (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.running.addr()
    }

    /// The app's address: `http://127.0.0.1:PORT/prefix/`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.running.addr(), self.prefix)
    }

    /// Stops the server and waits until it no longer listens.
    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// Serves `dir` under `prefix` (`/keymeter/`, or `/`) on a free port of
/// 127.0.0.1. Paths outside the prefix answer 404. `.wasm` files go out
/// as `application/wasm`, which streaming compilation insists on.
///
/// # Panics
/// If no loopback port can be bound, which leaves a test nothing to do.
pub async fn serve_dir(dir: PathBuf, prefix: &str) -> StaticServer {
    let files =
        ServeDir::new(&dir).fallback(ServeFile::new(dir.join("index.html")));
    serve(Router::new().fallback_service(files), prefix).await
}

/// Serves `dir` under `prefix` as GitHub Pages serves a project site: a
/// path that matches no file gets the site's `404.html` with status 404,
/// which is all an app can do about old or mistyped links there.
///
/// # Panics
/// If no loopback port can be bound.
pub async fn serve_dir_as_pages(dir: PathBuf, prefix: &str) -> StaticServer {
    let files = ServeDir::new(&dir)
        .not_found_service(ServeFile::new(dir.join("404.html")));
    serve(Router::new().fallback_service(files), prefix).await
}

/// Mounts `files` under `prefix` on a free port of 127.0.0.1.
async fn serve(files: Router, prefix: &str) -> StaticServer {
    let prefix = normalize_prefix(prefix);
    let router = match prefix.trim_end_matches('/') {
        "" => files,
        mount => {
            let mount = mount.to_owned();
            Router::new().nest_service(&mount, files).layer(
                middleware::from_fn(move |request, next| {
                    add_slash(mount.clone(), request, next)
                }),
            )
        }
    };
    let listener = server::bind(0)
        .await
        .expect("bind a free port on 127.0.0.1 for the static site");
    StaticServer {
        prefix,
        running: server::spawn(listener, router),
    }
}

/// `keymeter`, `/keymeter` and `/keymeter/` all mean `/keymeter/`.
fn normalize_prefix(prefix: &str) -> String {
    let inner = prefix.trim().trim_matches('/');
    if inner.is_empty() {
        "/".to_owned()
    } else {
        format!("/{inner}/")
    }
}

/// Redirects the bare mount point (`/keymeter`) to `/keymeter/`: served
/// without the slash, the page's relative URLs would resolve one level
/// too high.
async fn add_slash(mount: String, request: Request, next: Next) -> Response {
    if request.uri().path() != mount {
        return next.run(request).await;
    }
    let location = match request.uri().query() {
        Some(query) => format!("{mount}/?{query}"),
        None => format!("{mount}/"),
    };
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}
