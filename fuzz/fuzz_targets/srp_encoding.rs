#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    (cognito_fuzz::target("srp_encoding")
        .expect("a known target")
        .run)(data)
});
