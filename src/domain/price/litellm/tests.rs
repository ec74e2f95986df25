use super::*;

const SAMPLE: &str = r#"{
    "sample_spec": {
        "input_cost_per_token": 0.0,
        "litellm_provider": "one of https://docs.litellm.ai/docs/providers"
    },
    "gpt-4o-2024-08-06": {
        "input_cost_per_token": 2.5e-06,
        "cache_read_input_token_cost": 1.25e-06,
        "output_cost_per_token": 1e-05,
        "input_cost_per_token_batches": 1.25e-06,
        "output_cost_per_token_batches": 5e-06,
        "litellm_provider": "openai",
        "mode": "chat"
    },
    "openai/gpt-4o-2024-08-06": {
        "input_cost_per_token": 9.0,
        "litellm_provider": "openai"
    },
    "openai/o3-mini": {
        "input_cost_per_token": 0.0000011,
        "output_cost_per_token": "4.4e-06",
        "litellm_provider": "openai"
    },
    "claude-3-5-sonnet-20241022": {
        "input_cost_per_token": 3e-06,
        "output_cost_per_token": 1.5e-05,
        "litellm_provider": "anthropic"
    },
    "azure/gpt-4o": {
        "input_cost_per_token": 2.5e-06,
        "litellm_provider": "azure"
    },
    "1024-x-1024/dall-e-2": {
        "input_cost_per_pixel": 1.9e-08,
        "litellm_provider": "openai"
    },
    "tts-1": {
        "input_cost_per_character": 1.5e-05,
        "litellm_provider": "openai",
        "mode": "audio_speech"
    },
    "whisper-1": {
        "input_cost_per_second": 0.0001,
        "output_cost_per_second": 0.0001,
        "litellm_provider": "openai"
    },
    "gpt-3.5-turbo-instruct": {
        "input_cost_per_token": 1.5e-06,
        "output_cost_per_token": 2e-06,
        "litellm_provider": "text-completion-openai"
    },
    "gpt-4o-mini-2024-07-18": {
        "input_cost_per_token": 0.15,
        "output_cost_per_token": 6e-07,
        "litellm_provider": "openai"
    },
    "gpt-4.1": {
        "input_cost_per_token": true,
        "output_cost_per_token": 8.0000000000001e-06,
        "max_tokens": 32768,
        "litellm_provider": "openai"
    },
    "text-moderation-stable": {
        "max_tokens": 32768,
        "litellm_provider": "openai"
    },
    "not-an-object": 12
}"#;

fn entry<'a>(imported: &'a Imported, model: &str) -> &'a Price {
    let found = imported.entries.iter().find(|e| e.model == model);
    &found.unwrap_or_else(|| panic!("{model} imported")).price
}

fn per_million(rate: Option<Rate>) -> String {
    rate.map_or("-".into(), Rate::per_million_text)
}

#[test]
fn per_token_prices_become_exact_per_million_prices() {
    let imported = import_litellm(SAMPLE, None).unwrap();
    let gpt4o = entry(&imported, "gpt-4o-2024-08-06");
    assert_eq!(per_million(gpt4o.input), "2.50");
    assert_eq!(per_million(gpt4o.cached_input), "1.25");
    assert_eq!(per_million(gpt4o.output), "10.00");
    let batch = gpt4o.batch.unwrap();
    assert_eq!(batch.input.per_million_text(), "1.25");
    assert_eq!(batch.output.per_million_text(), "5.00");
    assert!(imported
        .entries
        .iter()
        .all(|e| e.source == PriceSource::Imported));
}

#[test]
fn only_openai_entries_are_kept_and_the_sample_spec_is_skipped() {
    let imported = import_litellm(SAMPLE, None).unwrap();
    let names: Vec<&str> =
        imported.entries.iter().map(|e| e.model.as_str()).collect();
    assert_eq!(
        names,
        [
            "gpt-3.5-turbo-instruct",
            "gpt-4o-2024-08-06",
            "o3-mini",
            "tts-1",
            "whisper-1",
        ]
    );
    assert_eq!(imported.skipped, 1, "text-moderation-stable has no price");
    assert_eq!(
        imported.held_back, 2,
        "gpt-4o-mini is 1000x off, gpt-4.1 odd"
    );
    let o3 = entry(&imported, "o3-mini");
    assert_eq!(per_million(o3.input), "1.10");
    assert_eq!(per_million(o3.output), "4.40", "a number written as text");
}

#[test]
fn speech_and_transcription_prices_keep_their_units() {
    let imported = import_litellm(SAMPLE, None).unwrap();
    let tts = entry(&imported, "tts-1");
    assert_eq!(per_million(tts.per_character), "15.00");
    let whisper = entry(&imported, "whisper-1");
    assert_eq!(whisper.per_second, Some(Rate(100_000_000)));
}

#[test]
fn a_price_a_thousand_times_off_is_reported_with_its_field() {
    let imported = import_litellm(SAMPLE, None).unwrap();
    let mismatch: Vec<&ImportWarning> = imported
        .warnings
        .iter()
        .filter(|w| matches!(w, ImportWarning::UnitMismatch { .. }))
        .collect();
    assert_eq!(mismatch.len(), 1, "{:?}", imported.warnings);
    let ImportWarning::UnitMismatch { model, field, .. } = mismatch[0] else {
        unreachable!()
    };
    assert_eq!(
        (model.as_str(), *field),
        ("gpt-4o-mini-2024-07-18", "input_cost_per_token")
    );
    let text = mismatch[0].to_string();
    assert!(
        text.contains("$150000.00 per 1M") && text.contains("$0.15 per 1M"),
        "{text}"
    );
    assert!(text.contains("not imported"), "{text}");
    assert!(
        imported.entries.iter().all(|e| e.model != *model),
        "a likely unit slip is held back, not applied"
    );
}

#[test]
fn absurd_prices_and_names_are_left_out() {
    let long = "g".repeat(300);
    let text = format!(
        r#"{{"{long}": {{"input_cost_per_token": 1e-06,
             "litellm_provider": "openai"}},
           "gpt-huge": {{"input_cost_per_token": 10000000,
             "output_cost_per_token": 1e-06, "litellm_provider": "openai"}}}}"#
    );
    let imported = import_litellm(&text, None).unwrap();
    assert!(imported.entries.is_empty(), "{:?}", imported.entries);
    assert_eq!(imported.held_back, 1, "gpt-huge's input is too large");
    assert!(imported.warnings.iter().any(|w| matches!(
        w,
        ImportWarning::Unreadable {
            field: "input_cost_per_token",
            ..
        }
    )));
}

#[test]
fn a_factor_just_under_a_thousand_is_not_reported() {
    let file = r#"{"gpt-4.1": {"input_cost_per_token": 0.001998,
                  "litellm_provider": "openai"}}"#;
    let imported = import_litellm(file, None).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let file = r#"{"gpt-4.1": {"input_cost_per_token": 2e-09,
                  "litellm_provider": "openai"}}"#;
    let imported = import_litellm(file, None).unwrap();
    assert_eq!(imported.warnings.len(), 1, "a thousand times too small");
}

#[test]
fn odd_values_are_reported_not_guessed() {
    let imported = import_litellm(SAMPLE, None).unwrap();
    // Imported without its input price, gpt-4.1's input would have none
    // at all: the model keeps the price it has.
    assert!(imported.entries.iter().all(|e| e.model != "gpt-4.1"));
    let has = |wanted: &ImportWarning| imported.warnings.contains(wanted);
    assert!(has(&ImportWarning::Unreadable {
        model: "gpt-4.1".into(),
        field: "input_cost_per_token"
    }));
    assert!(has(&ImportWarning::Rounded {
        model: "gpt-4.1".into(),
        field: "output_cost_per_token"
    }));
}

#[test]
fn imported_prices_apply_from_their_day_and_keep_older_history() {
    let day = Date::new(2026, 3, 1);
    let imported = import_litellm(SAMPLE, Some(day)).unwrap();
    let table =
        crate::domain::price::PriceTable::with_overrides(imported.entries);
    let before = table.resolve("o3-mini", Date::new(2026, 2, 28)).unwrap();
    assert_eq!(before.source(), PriceSource::BuiltIn);
    let after = table.resolve("o3-mini", day).unwrap();
    assert_eq!(after.source(), PriceSource::Imported);
}

#[test]
fn a_file_that_is_not_a_price_table_is_refused_in_plain_words() {
    let err = import_litellm("{\"gpt-4o\": ", None).unwrap_err();
    assert!(
        matches!(err, ImportError::NotJson { line: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("The file is not valid JSON"));
    for not_object in ["[1, 2]", "12", "\"text\"", "null"] {
        let err = import_litellm(not_object, None).unwrap_err();
        assert_eq!(err, ImportError::NotAnObject, "{not_object}");
    }
    assert_eq!(import_litellm("{}", None).unwrap(), Imported::default());
}

#[test]
fn an_empty_file_is_called_empty() {
    assert_eq!(import_litellm(" \n", None), Err(ImportError::Empty));
}
