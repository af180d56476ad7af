#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    (cognito_fuzz::target("sigv4_request")
        .expect("a known target")
        .run)(data)
});
