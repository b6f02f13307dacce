//! get_facebook_data: parse a request, fetch daily account insights, normalise them into a
//! complete daily series. The core is plain Rust the web app calls in-process; the Lambda adapter
//! sits behind the `lambda` feature.
