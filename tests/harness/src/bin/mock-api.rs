//! `mock-api`: the local OpenAI Admin API, for trying the app by hand.
//!
//! `cargo run -p keymeter-harness --bin mock-api -- [--port N] [--days N]`
//! listens on 127.0.0.1 until stopped with Ctrl-C.

use std::process::ExitCode;

use keymeter_harness::mock::{self, MockConfig, DEFAULT_PORT};

const USAGE: &str = "\
Serves a mock OpenAI Admin API on 127.0.0.1 until Ctrl-C.

usage: mock-api [--port N] [--days N]
  --port N  port to listen on (default 8787; 0 picks a free one)
  --days N  days of usage, ending today in UTC (default 120)";

/// What the command line asks for.
enum Command {
    Serve { port: u16, days: Option<u32> },
    Help,
}

#[tokio::main]
async fn main() -> ExitCode {
    let (port, days) = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Serve { port, days }) => (port, days),
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("mock-api: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut config = MockConfig::default();
    if let Some(days) = days {
        config.days = days;
    }
    let summary = format!("{} days up to {}", config.days, config.last_day);
    let server = match mock::start_on(config, port).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("mock-api: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };

    println!("Mock OpenAI Admin API with demo usage, {summary} (UTC)");
    println!("  API base URL:  {}", server.base_url());
    println!("  without CORS:  {}", server.nocors_base_url());
    println!("  admin key:     {}", server.admin_key());
    let addr = server.addr();
    println!("  request log:   http://{addr}/__mock/requests");
    println!("  faults:        http://{addr}/__mock/faults (POST, DELETE)");
    println!("  latency:       http://{addr}/__mock/latency?ms=N (POST)");
    println!("Press Ctrl-C to stop.");
    // The server runs on its own task; Ctrl-C ends the whole process,
    // and there is nothing to save on the way out.
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

/// Reads `--port N` and `--days N`, in any order.
fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> Result<Command, String> {
    let mut port = DEFAULT_PORT;
    let mut days = None;
    while let Some(flag) = args.next() {
        let mut value = |name: &str| {
            args.next().ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                let text = value("--port")?;
                port = text
                    .parse()
                    .map_err(|_| format!("--port: '{text}' is not a port"))?;
            }
            "--days" => {
                let text = value("--days")?;
                let count = text.parse().ok().filter(|days| *days > 0);
                days = Some(count.ok_or_else(|| {
                    format!("--days: '{text}' is not a positive number")
                })?);
            }
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Command::Serve { port, days })
}
