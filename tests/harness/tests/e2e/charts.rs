//! Charts are drawn at the width they are shown at: on a phone the canvas
//! has as many pixels as the screen gives it, not a desktop-sized drawing
//! shrunk until its labels cannot be read, and it follows the window
//! when that changes.

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::ship::devtools;
use crate::{world, World};

/// The daily chart's canvas pixels against its size on the page.
#[derive(Debug)]
struct Canvas {
    /// The canvas's own pixels.
    pixels: (f64, f64),
    /// Its size on the page, in CSS pixels.
    shown: (f64, f64),
    ratio: f64,
}

impl Canvas {
    /// Whether every CSS pixel has `ratio` canvas pixels behind it, give
    /// or take the rounding to whole pixels.
    fn is_sharp(&self) -> bool {
        let near = |pixels: f64, shown: f64| {
            shown > 0.0 && (pixels - shown * self.ratio).abs() <= 2.0
        };
        near(self.pixels.0, self.shown.0) && near(self.pixels.1, self.shown.1)
    }
}

async fn daily_canvas(browser: &Browser) -> Option<Canvas> {
    let value = browser
        .js("const c = document.getElementById('daily-chart'); \
             if (!c) return null; const r = c.getBoundingClientRect(); \
             return [c.width, c.height, r.width, r.height, \
                     window.devicePixelRatio];")
        .await;
    let number = |i: usize| value.get(i).and_then(Value::as_f64);
    Some(Canvas {
        pixels: (number(0)?, number(1)?),
        shown: (number(2)?, number(3)?),
        ratio: number(4)?,
    })
}

/// Shows the page in a viewport `width` CSS pixels wide on a screen with
/// two pixels to each CSS pixel, as a phone's.
pub(crate) async fn viewport(browser: &Browser, width: u32, height: u32) {
    let metrics = json!({
        "width": width,
        "height": height,
        "deviceScaleFactor": 2,
        "mobile": false,
    });
    devtools(browser, "Emulation.setDeviceMetricsOverride", metrics).await;
}

/// Waits until the daily chart is sharp and `wanted` holds for it.
async fn sharp_canvas(
    browser: &Browser,
    what: &str,
    wanted: impl Fn(&Canvas) -> bool,
) -> Canvas {
    browser
        .until(what, || async {
            match daily_canvas(browser).await {
                Some(canvas) if canvas.is_sharp() && wanted(&canvas) => {
                    Ok(canvas)
                }
                other => Err(format!("{other:?}")),
            }
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_chart_is_drawn_at_the_width_it_is_shown_at() {
    let World { site, mock } = world().await;
    let browser = Browser::open(&site.url()).await;
    viewport(&browser, 375, 800).await;

    browser.click("#demo-load").await;
    browser.notice_containing("demo organization").await;
    let narrow =
        sharp_canvas(&browser, "a sharp chart as wide as a phone", |c| {
            c.shown.0 <= 375.0
        })
        .await;
    assert_eq!(narrow.ratio, 2.0, "the screen's pixel ratio: {narrow:?}");
    assert!(
        narrow.shown.1 <= narrow.shown.0 * 0.75 + 1.0,
        "no taller than 3/4 of its width: {narrow:?}"
    );
    let ink = browser.chart_ink("daily-chart").await;
    assert!(ink > 1000, "the chart has bars: {ink}");
    browser.screenshot("chart-narrow").await;

    // A wider viewport gives the same chart more pixels, not a stretched
    // copy of the narrow one.
    viewport(&browser, 1280, 1000).await;
    let wide = sharp_canvas(&browser, "a sharp chart across the page", |c| {
        c.shown.0 > 900.0
    })
    .await;
    assert!(wide.pixels.0 > narrow.pixels.0 * 2.0, "{wide:?} {narrow:?}");
    browser.screenshot("chart-wide").await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.quit().await;
    site.shutdown().await;
    mock.shutdown().await;
}
