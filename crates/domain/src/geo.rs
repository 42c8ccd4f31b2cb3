//! Where a point is: the distance between two points on the Earth and the nearest building to a
//! point (an Open311 request filed by `lat`/`long` is about the nearest registered building, and
//! only if it is near enough).

use crate::DomainError;

/// The mean radius of the Earth, metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// A latitude/longitude box: what a database can search by plain comparisons.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoBox {
    pub south: f64,
    pub north: f64,
    pub west: f64,
    pub east: f64,
}

impl GeoPoint {
    /// A point with a finite latitude in -90..=90 and longitude in -180..=180; refusals name
    /// `lat` or `long` (the GeoReport names).
    pub fn new(lat: f64, lon: f64) -> Result<GeoPoint, DomainError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(DomainError::validation("lat", "latitude must be -90 to 90"));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(DomainError::validation(
                "long",
                "longitude must be -180 to 180",
            ));
        }
        Ok(GeoPoint { lat, lon })
    }

    /// The great-circle (haversine) distance in metres.
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }

    /// A box that contains every point within `radius_m` of this one (larger near the poles; a
    /// box across the antimeridian is not needed in Surgut and is clamped).
    pub fn box_around(self, radius_m: f64) -> GeoBox {
        let dlat = (radius_m / EARTH_RADIUS_M).to_degrees();
        let cos = self.lat.to_radians().cos().abs().max(0.01);
        let dlon = (radius_m / (EARTH_RADIUS_M * cos)).to_degrees();
        GeoBox {
            south: (self.lat - dlat).max(-90.0),
            north: (self.lat + dlat).min(90.0),
            west: (self.lon - dlon).max(-180.0),
            east: (self.lon + dlon).min(180.0),
        }
    }
}

/// The candidate nearest to `point` within `max_m` metres, with its distance; `None` when every
/// candidate is farther (or has no coordinates). Ties go to the first candidate.
pub fn nearest_within<T>(
    point: GeoPoint,
    max_m: f64,
    candidates: impl IntoIterator<Item = (T, Option<GeoPoint>)>,
) -> Option<(T, f64)> {
    candidates
        .into_iter()
        .filter_map(|(item, at)| at.map(|at| (item, point.distance_m(at))))
        .filter(|(_, distance)| *distance <= max_m)
        .fold(
            None,
            |best: Option<(T, f64)>, (item, distance)| match best {
                Some((_, best_distance)) if best_distance <= distance => best,
                _ => Some((item, distance)),
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn distances_are_in_metres() {
        // One thousandth of a degree of latitude is about 111 m anywhere.
        let d = p(61.25, 73.4).distance_m(p(61.251, 73.4));
        assert!((d - 111.2).abs() < 0.5, "{d}");
        assert_eq!(p(61.25, 73.4).distance_m(p(61.25, 73.4)), 0.0);
    }

    #[test]
    fn the_nearest_building_within_reach_wins() {
        let here = p(61.25, 73.4);
        let near = p(61.2505, 73.4); // ~56 m
        let nearer = p(61.2502, 73.4); // ~22 m
        let far = p(61.26, 73.4); // ~1.1 km
        let found = nearest_within(
            here,
            150.0,
            [
                ("near", Some(near)),
                ("none", None),
                ("nearer", Some(nearer)),
                ("far", Some(far)),
            ],
        );
        assert_eq!(found.map(|(name, _)| name), Some("nearer"));
        assert!(nearest_within(here, 150.0, [("far", Some(far))]).is_none());
    }

    #[test]
    fn the_box_holds_the_circle() {
        let here = p(61.25, 73.4);
        let b = here.box_around(150.0);
        for (lat, lon) in [
            (b.north, here.lon),
            (b.south, here.lon),
            (here.lat, b.east),
            (here.lat, b.west),
        ] {
            let d = here.distance_m(p(lat, lon));
            assert!((d - 150.0).abs() < 1.0, "{d}");
        }
    }

    #[test]
    fn impossible_points_are_refused() {
        assert!(GeoPoint::new(91.0, 0.0).is_err());
        assert!(GeoPoint::new(0.0, -181.0).is_err());
        assert!(GeoPoint::new(f64::NAN, 0.0).is_err());
    }
}
