//! Usage of every kind, and billed costs, over the chosen range.

use leptos::prelude::*;

use super::state::AppState;
use crate::domain::money::group_thousands;
use crate::domain::summary::{billed, KindLine};
use crate::domain::usage::UsageKind;

fn n(value: u64) -> String {
    group_thousands(&value.to_string())
}

/// The figures that matter for one kind, in words.
fn describe(line: &KindLine) -> String {
    let c = &line.counts;
    match line.kind {
        UsageKind::Completions
        | UsageKind::Embeddings
        | UsageKind::Moderations => {
            format!(
                "{} requests, {} tokens",
                n(c.requests),
                n(c.input + c.output)
            )
        }
        UsageKind::Images => format!("{} images", n(c.images)),
        UsageKind::AudioSpeeches => format!("{} characters", n(c.characters)),
        UsageKind::AudioTranscriptions => {
            format!("{} minutes", n(c.seconds.div_ceil(60)))
        }
        UsageKind::VectorStores => {
            format!("{:.2} GB stored (newest day)", c.usage_bytes as f64 / 1e9)
        }
        UsageKind::CodeInterpreterSessions => {
            format!("{} sessions", n(c.sessions))
        }
        UsageKind::FileSearchCalls | UsageKind::WebSearchCalls => {
            format!("{} calls", n(c.calls))
        }
    }
}

/// Usage per kind (worked out with the rest of the Overview page) and
/// billed costs per line item.
#[component]
pub fn Summaries(#[prop(into)] kinds: Signal<Vec<KindLine>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Billed costs exist per UTC day only: the range as UTC counts it.
    let range = Memo::new(move |_| state.days().utc_bounds());
    let bills = Memo::new(move |_| {
        let (from, to) = range.get();
        state.data.with(|d| billed(&d.costs, &d.projects, from, to))
    });

    let top_bills = move || {
        let mut lines = bills.get().0;
        lines.truncate(12);
        lines
    };

    view! {
        <section class="panel two-up">
            <div>
                <h2>"Usage by kind"</h2>
                <table id="kinds">
                    <tbody>
                        <For each=move || kinds.get() key=|line| format!("{line:?}") let:line>
                            <tr data-kind=line.kind.path()><th scope="row">{line.kind.label()}</th><td class="num">{describe(&line)}</td></tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <div>
                <h2>"Billed costs"</h2>
                <p class="hint">"What OpenAI billed, per project and line item (UTC days). Authoritative, unlike the estimates per key."</p>
                <table id="billed">
                    <tbody>
                        <For each=top_bills key=|line| format!("{line:?}") let:line>
                            <tr><td>{line.project.clone()}</td><td>{line.line_item.clone()}</td><td class="num">{line.amount.display()}</td></tr>
                        </For>
                    </tbody>
                    <tfoot>
                        {move || {
                            let more = bills.with(|b| b.0.len().saturating_sub(12));
                            (more > 0).then(|| view! { <tr class="more"><td colspan="3" class="muted">{format!("and {more} more line{} in the total", if more == 1 { "" } else { "s" })}</td></tr> })
                        }}
                        <tr><th scope="row">"Total billed"</th><td></td><td class="num" id="billed-total">{move || bills.get().1.display()}</td></tr>
                    </tfoot>
                </table>
            </div>
        </section>
    }
}
