//! Files the user picks with a file input, read as text in the page.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The file input behind an event.
pub fn file_input(ev: &leptos::ev::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into().ok()
}

/// The name and text of the file chosen in `input`, `Ok(None)` when none
/// is. The input is emptied, so the same file can be chosen again after
/// a fix. Files above `max_bytes` are refused before being read.
pub async fn read_chosen(
    input: &web_sys::HtmlInputElement,
    max_bytes: f64,
) -> Result<Option<(String, String)>, String> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(None);
    };
    input.set_value("");
    let name = file.name();
    if file.size() > max_bytes {
        return Err(format!(
            "{name} is {:.0} MB, more than keymeter reads in a browser tab \
             ({:.0} MB). Nothing was changed.",
            file.size() / 1e6,
            max_bytes / 1e6
        ));
    }
    match JsFuture::from(file.text()).await {
        Ok(text) => Ok(Some((name, text.as_string().unwrap_or_default()))),
        Err(_) => Err(format!(
            "{name} could not be read as text. Nothing was changed."
        )),
    }
}
