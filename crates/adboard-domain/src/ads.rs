//! Advertising types: ad account ids, date ranges and conversion events (filled by the Graph issue).
