//! The static file server, checked the way a browser loads the app.

mod common;

use std::path::PathBuf;

use common::send;
use keymeter_harness::static_site::serve_dir;

/// A small built-app lookalike in a directory of its own.
fn site(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><p>app</p>")
        .unwrap();
    std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("assets/style.css"), "p{}").unwrap();
    dir
}

#[tokio::test]
async fn files_are_served_under_the_prefix_with_their_types() {
    let server = serve_dir(site("prefixed"), "/keymeter/").await;
    let addr = server.addr();

    let index = send(addr, "GET", "/keymeter/", &[]).await;
    let wasm = send(addr, "GET", "/keymeter/app_bg.wasm", &[]).await;
    let css = send(addr, "GET", "/keymeter/assets/style.css", &[]).await;

    assert_eq!(server.url(), format!("http://{addr}/keymeter/"));
    assert_eq!(index.status, 200);
    assert!(index.text().contains("<p>app</p>"));
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn unknown_paths_under_the_prefix_get_the_app_and_others_404() {
    let server = serve_dir(site("fallback"), "keymeter").await;
    let addr = server.addr();

    let deep = send(addr, "GET", "/keymeter/overview/keys", &[]).await;
    let outside = send(addr, "GET", "/elsewhere/index.html", &[]).await;
    let bare = send(addr, "GET", "/keymeter?demo=1", &[]).await;

    assert_eq!(server.url(), format!("http://{addr}/keymeter/"));
    assert_eq!(deep.status, 200);
    assert!(deep.text().contains("<p>app</p>"));
    assert_eq!(outside.status, 404);
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), Some("/keymeter/?demo=1"));
}

#[tokio::test]
async fn a_root_prefix_serves_the_whole_site() {
    let server = serve_dir(site("root"), "/").await;
    let addr = server.addr();

    let wasm = send(addr, "GET", "/app_bg.wasm", &[]).await;
    let deep = send(addr, "GET", "/some/route", &[]).await;

    assert_eq!(server.url(), format!("http://{addr}/"));
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(deep.status, 200);
    assert!(deep.text().contains("<p>app</p>"));
    server.shutdown().await;
}
