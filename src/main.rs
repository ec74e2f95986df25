//! Entry point: panic hook, logger, mount.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        console_error_panic_hook::set_once();
        let _ = console_log::init_with_level(log::Level::Warn);
        leptos::mount::mount_to_body(keymeter::ui::App);
    }
}
