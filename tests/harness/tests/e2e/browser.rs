//! A headless Chromium session driven through ChromeDriver, with the waits
//! the journeys need. Every wait polls for a condition up to a deadline;
//! none sleeps for a fixed time and hopes.

use std::future::Future;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// How long any one condition may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// Chromium's flag to accept the mock's self-signed HTTPS certificate
/// (see `MockConfig::https`). Harmless here: a test's browser visits
/// 127.0.0.1 only.
pub const ACCEPT_MOCK_CERTIFICATE: &str = "--ignore-certificate-errors";

/// A browser session and the ChromeDriver process behind it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    /// Declared after the driver, so dropped after it.
    _group: ProcessGroup,
    profile: TempDir,
}

/// ChromeDriver's process group, which the browser it starts joins. It is
/// killed whole when the session ends, however it ends: a browser left
/// behind by a driver killed mid-shutdown would go on using the CPU that
/// later tests and benchmarks measure with.
struct ProcessGroup(Option<u32>);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        if let Some(group) = self.0 {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// A fresh profile directory, removed when the session ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Browser {
    /// Starts ChromeDriver on a loopback port and opens a session with a
    /// new, empty profile.
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// [`Browser::start`], with Chromium also given `flags`.
    pub async fn start_with(flags: &[&str]) -> Browser {
        let chromedriver = std::env::var("CHROMEDRIVER")
            .unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {chromedriver}: {e}"));

        let profile = std::env::temp_dir()
            .join(format!("keymeter-e2e-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).expect("a profile directory");
        let mut args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,1000",
        ]
        .iter()
        .chain(flags)
        .map(|flag| (*flag).to_owned())
        .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM")
                    .unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
                "args": args,
                "prefs": {
                    "download.default_directory":
                        profile.join("downloads").display().to_string(),
                    "download.prompt_for_download": false
                }
            },
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };

        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        let client = loop {
            let attempt = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => {
                    panic!("no ChromeDriver session: {error}")
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        };
        Browser {
            client,
            _group: ProcessGroup(driver.id()),
            driver,
            profile: TempDir(profile),
        }
    }

    /// A new session showing `url`.
    pub async fn open(url: &str) -> Browser {
        Browser::open_with(url, &[]).await
    }

    /// [`Browser::open`], with Chromium also given `flags`.
    pub async fn open_with(url: &str, flags: &[&str]) -> Browser {
        let browser = Browser::start_with(flags).await;
        browser.client.goto(url).await.expect("the page opens");
        browser
    }

    /// Ends the session and the driver.
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
    }

    /// Waits until `probe` gives a value, failing the test after
    /// `PATIENCE` with `what` and the last thing seen.
    pub async fn until<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match probe().await {
                Ok(value) => return value,
                Err(last) if Instant::now() > deadline => {
                    let page = self
                        .client
                        .execute("return document.body.innerText", Vec::new())
                        .await
                        .unwrap_or_default();
                    panic!(
                        "timed out waiting for {what}; last seen: {last}\n\
                         the page said:\n{}",
                        page.as_str().unwrap_or_default()
                    )
                }
                Err(_) => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// Waits for an element matching `css`.
    pub async fn element(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Replaces the text of the input matching `css`.
    pub async fn fill(&self, css: &str, text: &str) {
        let input = self.element(css).await;
        input.clear().await.expect("the input clears");
        input.send_keys(text).await.expect("the input takes text");
    }

    pub async fn click(&self, css: &str) {
        self.element(css)
            .await
            .click()
            .await
            .expect("the click lands");
    }

    /// Runs `script` in the page and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Waits for the notice bar to hold text containing `needle`, and
    /// returns that text and whether it is shown as an error.
    pub async fn notice_containing(&self, needle: &str) -> (String, bool) {
        self.until(&format!("a notice with \"{needle}\""), || async {
            let value = self
                .js("const n = document.getElementById('notice');\
                     return n ? [n.innerText, n.classList.contains('error')] \
                              : null;")
                .await;
            let text = value[0].as_str().unwrap_or_default().to_owned();
            if text.contains(needle) {
                Ok((text, value[1].as_bool().unwrap_or(false)))
            } else {
                Err(text)
            }
        })
        .await
    }

    /// How many pixels of the canvas `#id` are the bars' blue: a chart
    /// that drew its data has many, an empty or failed one none.
    pub async fn chart_ink(&self, id: &str) -> u64 {
        let script = format!(
            "const c = document.getElementById('{id}'); \
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
             let ink = 0; for (let i = 0; i < d.length; i += 4) \
             {{ if (d[i] < 100 && d[i + 2] > 150) ink++; }} return ink;"
        );
        self.js(&script).await.as_u64().unwrap_or(0)
    }

    /// Messages the page logged at error level.
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(SessionPost {
                path: "se/log",
                body: r#"{"type":"browser"}"#.to_owned(),
            })
            .await;
        let Ok(Value::Array(entries)) = logs else {
            return Vec::new();
        };
        // HTTP errors the page handles (a 400 it falls back from, a 429 it
        // waits out) are logged by the browser as network entries; only
        // script errors count here.
        entries
            .into_iter()
            .filter(|e| e["level"] == "SEVERE" && e["source"] != "network")
            .filter_map(|e| e["message"].as_str().map(str::to_owned))
            .collect()
    }

    /// Lets the page show notifications, as a user answering the
    /// browser's question would (WebDriver's permissions extension).
    pub async fn allow_notifications(&self) {
        self.client
            .issue_cmd(SessionPost {
                path: "permissions",
                body: r#"{"descriptor":{"name":"notifications"},"state":"granted"}"#
                    .to_owned(),
            })
            .await
            .expect("the browser takes the permission");
    }

    /// Forgets earlier downloads, so `downloaded` finds the next one.
    pub fn clear_downloads(&self) {
        let _ = std::fs::remove_dir_all(self.profile.0.join("downloads"));
    }

    /// Waits for a finished download and returns its name and bytes.
    pub async fn downloaded(&self) -> (String, Vec<u8>) {
        let dir = self.profile.0.join("downloads");
        self.until("a finished download", || async {
            let entries = std::fs::read_dir(&dir).map_err(|e| e.to_string())?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".crdownload") && !name.starts_with('.') {
                    let bytes = std::fs::read(entry.path())
                        .map_err(|e| e.to_string())?;
                    // Chrome may show the final name a moment before the
                    // bytes land; every keymeter file has content.
                    if bytes.is_empty() {
                        return Err(format!("{name} is still empty"));
                    }
                    return Ok((name, bytes));
                }
            }
            Err("no file yet".to_owned())
        })
        .await
    }

    /// Saves a screenshot under `target/e2e/`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("a screenshot");
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e");
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("the screenshot is written");
        path
    }
}

/// A POST to a session endpoint WebDriver itself does not define, such
/// as ChromeDriver's console log (`se/log`), the permissions extension
/// (`permissions`) or a DevTools command (`goog/cdp/execute`).
#[derive(Debug)]
pub struct SessionPost {
    pub path: &'static str,
    pub body: String,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(
        &self,
        _request_url: &url::Url,
    ) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}
