//! Deterministic synthetic daily metrics per (account, day), derived from a SHA-256 hash.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// One day (or a sum of days) of delivery for an account. Money in cents of the account currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Metrics {
    /// Spend in cents.
    pub spend_cents: u64,
    /// Impressions.
    pub impressions: u64,
    /// Reach (people).
    pub reach: u64,
    /// All clicks.
    pub clicks: u64,
    /// Link clicks (`inline_link_clicks`, and the `link_click` action).
    pub link_clicks: u64,
    /// `landing_page_view` actions.
    pub landing_page_views: u64,
    /// `lead` actions.
    pub leads: u64,
    /// `add_to_cart` actions.
    pub add_to_cart: u64,
    /// Value of add-to-cart events, cents.
    pub add_to_cart_value_cents: u64,
    /// Purchases (`purchase`, `offsite_conversion.fb_pixel_purchase`, `omni_purchase`, all equal).
    pub purchases: u64,
    /// Purchase value, cents.
    pub purchase_value_cents: u64,
}

impl Metrics {
    /// Adds another period.
    pub fn add(&mut self, o: &Metrics) {
        self.spend_cents += o.spend_cents;
        self.impressions += o.impressions;
        self.reach += o.reach;
        self.clicks += o.clicks;
        self.link_clicks += o.link_clicks;
        self.landing_page_views += o.landing_page_views;
        self.leads += o.leads;
        self.add_to_cart += o.add_to_cart;
        self.add_to_cart_value_cents += o.add_to_cart_value_cents;
        self.purchases += o.purchases;
        self.purchase_value_cents += o.purchase_value_cents;
    }

    /// Action counts by `action_type`, zero counts left out (as Facebook does).
    pub fn actions(&self) -> Vec<(&'static str, u64)> {
        let engagement = self.clicks + self.landing_page_views / 3;
        [
            ("link_click", self.link_clicks),
            ("landing_page_view", self.landing_page_views),
            ("page_engagement", engagement),
            ("post_engagement", engagement),
            ("lead", self.leads),
            ("add_to_cart", self.add_to_cart),
            ("offsite_conversion.fb_pixel_add_to_cart", self.add_to_cart),
            ("purchase", self.purchases),
            ("offsite_conversion.fb_pixel_purchase", self.purchases),
            ("omni_purchase", self.purchases),
        ]
        .into_iter()
        .filter(|(_, v)| *v > 0)
        .collect()
    }

    /// Action values in cents by `action_type`, zero values left out.
    pub fn action_values(&self) -> Vec<(&'static str, u64)> {
        [
            ("add_to_cart", self.add_to_cart_value_cents),
            (
                "offsite_conversion.fb_pixel_add_to_cart",
                self.add_to_cart_value_cents,
            ),
            ("purchase", self.purchase_value_cents),
            (
                "offsite_conversion.fb_pixel_purchase",
                self.purchase_value_cents,
            ),
            ("omni_purchase", self.purchase_value_cents),
        ]
        .into_iter()
        .filter(|(_, v)| *v > 0)
        .collect()
    }
}

/// The day's delivery of `account_id`, or `None` on a day without delivery.
pub fn day(account_id: &str, date: NaiveDate) -> Option<Metrics> {
    let digest = Sha256::digest(format!("adboard-sandbox|{account_id}|{date}").as_bytes());
    let r = |i: usize| -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&digest[i * 8..i * 8 + 8]);
        u64::from_le_bytes(b)
    };
    match r(0) % 10 {
        0 => None,
        1 => {
            // A trickle: a few impressions, at most one click, never an action other than that.
            let impressions = 20 + r(1) % 60;
            let link_clicks = r(2) % 2;
            Some(Metrics {
                spend_cents: 10 + r(3) % 90,
                impressions,
                reach: impressions - impressions / 10,
                clicks: link_clicks,
                link_clicks,
                ..Metrics::default()
            })
        }
        _ => {
            let impressions = 800 + r(1) % 12_000;
            let cpm_cents = 400 + r(2) % 1_200;
            let ctr_bp = 50 + r(3) % 250;
            let link_clicks = impressions * ctr_bp / 10_000;
            let lpv = link_clicks * (60 + r(1) % 30) / 100;
            let atc = lpv * (5 + r(2) % 15) / 100;
            let purchases = atc * (20 + r(3) % 40) / 100;
            Some(Metrics {
                spend_cents: impressions * cpm_cents / 1_000,
                impressions,
                reach: impressions * (70 + r(0) % 25) / 100,
                clicks: link_clicks + link_clicks / 4,
                link_clicks,
                landing_page_views: lpv,
                leads: link_clicks * (r(2) % 5) / 100,
                add_to_cart: atc,
                add_to_cart_value_cents: atc * (1_500 + r(1) % 6_000),
                purchases,
                purchase_value_cents: purchases * (2_000 + r(3) % 10_000),
            })
        }
    }
}

/// Cents as Facebook's money string (`"41.27"`, `"0.5"`, `"3"`: trailing zeros dropped).
pub fn money(cents: u64) -> String {
    let (units, rest) = (cents / 100, cents % 100);
    match rest {
        0 => units.to_string(),
        r if r % 10 == 0 => format!("{units}.{}", r / 10),
        r => format!("{units}.{r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_drops_trailing_zeros_like_facebook() {
        assert_eq!(money(4127), "41.27");
        assert_eq!(money(50), "0.5");
        assert_eq!(money(300), "3");
        assert_eq!(money(7), "0.07");
    }

    #[test]
    fn the_same_account_and_day_always_give_the_same_metrics() {
        let d = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(day("1234567890", d), day("1234567890", d));
    }

    #[test]
    fn a_year_has_days_without_delivery_and_days_with_purchases() {
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let days: Vec<_> = start
            .iter_days()
            .take(365)
            .map(|d| day("1234567890", d))
            .collect();
        assert!(days.iter().any(Option::is_none));
        assert!(days.iter().flatten().any(|m| m.purchases > 0));
        assert!(days.iter().flatten().any(|m| m.actions().is_empty()));
    }
}
