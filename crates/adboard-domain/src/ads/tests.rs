//! Unit tests of the advertising types.

use super::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn account_id_accepts_digits_with_or_without_act_prefix() {
    assert_eq!(AdAccountId::parse("1234").unwrap().as_str(), "1234");
    assert_eq!(AdAccountId::parse("act_1234").unwrap().as_str(), "1234");
    assert_eq!(
        AdAccountId::parse(" act_1234 ").unwrap().graph_node(),
        "act_1234"
    );
}

#[test]
fn blank_account_id_is_missing() {
    for raw in ["", "   "] {
        assert_eq!(
            AdAccountId::parse(raw),
            Err(DomainError::Missing {
                field: "account_id"
            })
        );
    }
}

#[test]
fn account_id_with_path_query_or_letters_is_rejected() {
    for raw in [
        "act_12/../me",
        "12?x=1",
        "abc",
        "act_",
        "act_-1",
        "+12",
        "1 2",
        "ACT_12",
        "12%2F",
        "١٢٣",
    ] {
        assert!(
            matches!(AdAccountId::parse(raw), Err(DomainError::Invalid { .. })),
            "{raw:?} accepted"
        );
    }
}

#[test]
fn account_id_of_25_digits_is_rejected_but_20_are_accepted() {
    assert!(AdAccountId::parse(&"1".repeat(25)).is_err());
    assert!(AdAccountId::parse(&"9".repeat(20)).is_ok());
}

#[test]
fn account_id_converts_from_and_into_strings_as_bare_digits() {
    let id = AdAccountId::try_from("act_42".to_owned()).unwrap();
    assert_eq!(String::from(id), "42");
    assert!(AdAccountId::try_from("act_4/2".to_owned()).is_err());
}

#[test]
fn february_30_is_not_a_date() {
    assert!(matches!(
        parse_date("since", "2026-02-30"),
        Err(DomainError::Invalid { .. })
    ));
}

#[test]
fn dates_must_be_written_yyyy_mm_dd() {
    for raw in [
        "2026-5-01",
        "2026/05/01",
        "01-05-2026",
        "2026-05-01T00:00",
        "+2026-05-01",
        "2026-13-01",
    ] {
        assert!(parse_date("since", raw).is_err(), "{raw:?} accepted");
    }
    assert_eq!(
        parse_date("since", "2024-02-29").unwrap(),
        date("2024-02-29")
    );
}

#[test]
fn since_after_until_is_rejected() {
    assert!(DateRange::parse("2026-05-02", "2026-05-01").is_err());
    assert_eq!(
        DateRange::parse("2026-05-01", "2026-05-01")
            .unwrap()
            .len_days(),
        1
    );
}

#[test]
fn range_lists_every_day_in_order() {
    let range = DateRange::parse("2026-02-27", "2026-03-02").unwrap();
    let days: Vec<_> = range.days().map(|d| d.to_string()).collect();
    assert_eq!(
        days,
        ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
    );
    assert_eq!(range.len_days(), 4);
}

#[test]
fn ending_on_builds_the_last_n_days() {
    let range = DateRange::ending_on(date("2026-05-07"), 7);
    assert_eq!(
        (range.since(), range.until()),
        (date("2026-05-01"), date("2026-05-07"))
    );
}

#[test]
fn thirty_eight_months_back_is_rejected_and_thirty_seven_accepted() {
    let today = date("2026-11-21");
    let ok = DateRange::parse("2023-10-21", "2026-11-20").unwrap();
    assert!(ok.check_against_today(today).is_ok());
    let too_old = DateRange::parse("2023-10-20", "2026-11-20").unwrap();
    assert!(too_old.check_against_today(today).is_err());
    let thirty_eight = DateRange::parse("2023-09-21", "2023-09-30").unwrap();
    assert!(thirty_eight.check_against_today(today).is_err());
}

#[test]
fn a_range_ending_after_today_is_rejected() {
    let range = DateRange::parse("2026-11-20", "2026-11-22").unwrap();
    assert!(range.check_against_today(date("2026-11-21")).is_err());
}

#[test]
fn conversion_event_accepts_action_types_and_rejects_others() {
    assert_eq!(
        ConversionEvent::parse("offsite_conversion.custom.123")
            .unwrap()
            .as_str(),
        "offsite_conversion.custom.123"
    );
    for raw in [
        "Purchase",
        "pur chase",
        "a/b",
        ".purchase",
        "purchase.",
        &"x".repeat(101),
    ] {
        assert!(ConversionEvent::parse(raw).is_err(), "{raw:?} accepted");
    }
    assert_eq!(
        ConversionEvent::parse(""),
        Err(DomainError::Missing {
            field: "conversion_event"
        })
    );
}

#[test]
fn purchase_is_the_default_and_lists_its_overlapping_types_once() {
    let candidates = ConversionEvent::default().action_type_candidates();
    assert_eq!(candidates[0], "omni_purchase");
    assert!(candidates.contains(&"offsite_conversion.fb_pixel_purchase".to_owned()));
    assert_eq!(
        ConversionEvent::parse("lead")
            .unwrap()
            .action_type_candidates()[0],
        "lead"
    );
    assert_eq!(
        ConversionEvent::parse("x.y")
            .unwrap()
            .action_type_candidates(),
        ["x.y"]
    );
}
