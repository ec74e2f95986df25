//! Sync request economy and speed, against the mock API with 100 ms added
//! to every reply: a one-year back-fill and an up-to-date re-sync, each
//! beside the sequential minimum (requests x latency). Prints figures; it
//! asserts nothing, so slow machines cannot make it flaky. The same runs
//! with no added latency show the floor set by parsing and storing.
//!
//! OpenAI serves its API over HTTP/2, where a page's requests share one
//! connection; the runs over HTTP/2 are the ones the target is for. Over
//! HTTP/1.1 a browser opens six connections per host and every request
//! needs its own CORS preflight (each URL differs), which puts a floor of
//! about 2 x 0.1 s / 6 per request under any client: those runs show it.
//!
//! Needs the bundle that `scripts/test.sh` builds into `$KEYMETER_DIST`.

#[path = "../tests/e2e/browser.rs"]
#[allow(dead_code)]
mod browser;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use browser::{Browser, ACCEPT_MOCK_CERTIFICATE};
use keymeter_harness::{serve_dir, start, MockConfig, MockServer};

const LATENCY: Duration = Duration::from_millis(100);

/// API requests the mock answered, listings included.
fn api_requests(mock: &MockServer) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.path.starts_with("/v1/"))
        .count()
}

async fn timed_sync(
    browser: &Browser,
    mock: &MockServer,
    click: &str,
) -> (usize, Duration) {
    mock.clear_requests();
    let started = Instant::now();
    browser.click(click).await;
    browser.notice_containing("Sync finished.").await;
    (api_requests(mock), started.elapsed())
}

fn report(name: &str, (requests, took): (usize, Duration)) {
    let minimum = LATENCY * requests as u32;
    println!(
        "{name:<28} {requests:>5} requests  {:>7.2} s  sequential minimum \
         {:>7.2} s  ratio {:.2} (target <= 0.30)",
        took.as_secs_f64(),
        minimum.as_secs_f64(),
        took.as_secs_f64() / minimum.as_secs_f64()
    );
}

/// One back-fill and one re-sync from a fresh profile, with `latency`
/// added to every reply, over HTTPS with HTTP/2 or over plain HTTP/1.1.
async fn run(
    dist: &Path,
    latency: Duration,
    https: bool,
) -> [(usize, Duration); 2] {
    let site = serve_dir(dist.to_path_buf(), "/keymeter/").await;
    let mock = start(MockConfig {
        days: 365,
        https,
        ..MockConfig::default()
    })
    .await;
    mock.set_latency(latency);
    let browser =
        Browser::open_with(&site.url(), &[ACCEPT_MOCK_CERTIFICATE]).await;
    browser.fill("#connect-key", mock.admin_key()).await;
    browser.fill("#connect-base", &mock.base_url()).await;
    let back_fill = timed_sync(&browser, &mock, "#connect-submit").await;
    let re_sync = timed_sync(&browser, &mock, "#sync-run").await;
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
    [back_fill, re_sync]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dist = std::env::var("KEYMETER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/e2e-dist")
        });
    println!(
        "sync against the mock API with {} ms per reply:",
        LATENCY.as_millis()
    );
    for (https, protocol) in
        [(true, "HTTP/2"), (false, "HTTP/1.1, six connections")]
    {
        println!("over {protocol}:");
        let [back_fill, re_sync] = run(&dist, LATENCY, https).await;
        report("one-year back-fill", back_fill);
        report("up-to-date re-sync", re_sync);
    }

    // The same with no added latency: what parsing and storing cost on
    // this machine, the floor under the figures above.
    let [back_fill, re_sync] = run(&dist, Duration::ZERO, true).await;
    println!("over HTTP/2 with no added latency:");
    for (name, (requests, took)) in [
        ("one-year back-fill", back_fill),
        ("up-to-date re-sync", re_sync),
    ] {
        println!(
            "{name:<28} {requests:>5} requests  {:>7.2} s",
            took.as_secs_f64()
        );
    }
}
