//! Byte counts for people.

/// Bytes in decimal units, as browsers' own settings count them:
/// 12_345_678 is "12.3 MB".
pub fn size(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000.0 {
        return format!("{} bytes", bytes.max(0.0).round());
    }
    let mut value = bytes / 1000.0;
    let mut unit = 0;
    // 999.95 would print as "1000.0", so it moves up a unit as well.
    while value >= 999.95 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_decimal_units_without_a_thousand_of_one() {
        assert_eq!(size(0.0), "0 bytes");
        assert_eq!(size(-5.0), "0 bytes");
        assert_eq!(size(999.0), "999 bytes");
        assert_eq!(size(12_345_678.0), "12.3 MB");
        assert_eq!(size(999_960.0), "1.0 MB");
        assert_eq!(size(2.5e12), "2.5 TB");
        assert_eq!(size(5e15), "5000.0 TB");
    }
}
