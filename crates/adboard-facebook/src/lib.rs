//! Adboard's Graph API client: typed requests for insights, ad accounts, tokens and permissions,
//! with paging, retries within a time budget, rate-limit headers and Facebook's error envelope
//! parsed into a typed error.
