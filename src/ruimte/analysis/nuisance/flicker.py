# SPDX-License-Identifier: Apache-2.0
"""Astronomical worst-case shadow flicker per dwelling from the sun's path.

Worst case: the sun always shines, the rotor always turns and always faces
the sun (its disc is perpendicular to the sun's rays). A dwelling window P is
in the rotor's shadow when the ray from P towards the sun crosses the disc of
radius R centred on the hub T: with ``v = T - P`` and sun unit vector ``s``,
``v . s > 0`` and the distance of T from the ray, ``sqrt(|v|² - (v.s)²)``, is
at most R; equivalently the angle between ``s`` and ``v`` is at most the
rotor's angular radius ``asin(R / |v|)``. Only dwellings within
``max_distance_rotor_diameters`` of a turbine count; the sun must stand at
least ``min_sun_elevation_deg`` high.

Solar positions come from :func:`pvlib.solarposition.get_solarposition` at
the site's latitude and longitude every ``time_step_min`` minutes of a year;
each sunlit step counts ``time_step_min`` minutes. Azimuths are taken against
grid north of the projected CRS (in RD New the meridian convergence is below
2 degrees). Terrain and buildings do not block the sun.

Work is vectorised over (dwelling-turbine pairs) x (time steps) in chunks of at
most ``max_cells`` booleans (plus one float32 array of the same size), so the
working memory stays bounded (about 5 bytes x ``max_cells``, 100 MB by
default) besides one block's answer (one int64 per shadowed dwelling-step for
about ``20 * max_cells / steps`` pairs), aggregated and dropped per block of
whole dwellings. Within a block, pairs are sorted by the hub's elevation seen
from the window, and a chunk only looks at the sun positions whose elevation
lies within the rotor's angular radius of its pairs' hub elevations (the angle
between two directions is at least the difference of their elevations), which
skips most of the year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial import cKDTree

from ruimte.analysis.nuisance.settings import FlickerMethod

__all__ = ["SunPath", "sun_path", "shadow_flicker", "realistic_hours"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SunPath:
    """Sunlit time steps of one year.

    Attributes
    ----------
    vectors : numpy.ndarray
        (t, 3) unit vectors towards the sun (east, north, up), float32.
    day : numpy.ndarray
        (t,) day of year (0-based) of each step, ascending.
    month : numpy.ndarray
        (t,) month (1-12) of each step.
    step_min : float
        Minutes each step stands for.
    n_days : int
        Days in the year.
    """

    vectors: npt.NDArray[np.float32]
    day: npt.NDArray[np.int64]
    month: npt.NDArray[np.int64]
    step_min: float
    n_days: int


def sun_path(latitude: float, longitude: float, method: FlickerMethod | None = None) -> SunPath:
    """Return the sunlit solar positions of a year at one site (pvlib).

    Parameters
    ----------
    latitude, longitude : float
        Degrees (WGS84).
    method : FlickerMethod, optional
        Time step, year and minimum sun elevation.

    Returns
    -------
    SunPath

    Raises
    ------
    ImportError
        If pvlib is not installed, naming it.
    """
    try:
        import pvlib
    except ImportError as exc:  # pragma: no cover - pvlib is a dependency
        raise ImportError(f"shadow flicker needs pvlib (pip install pvlib): {exc}") from exc
    m = method or FlickerMethod()
    times = pd.date_range(
        f"{m.year}-01-01", f"{m.year + 1}-01-01", freq=f"{m.time_step_min}min",
        tz="UTC", inclusive="left",
    )  # fmt: skip
    # the middle of each step represents it
    centre = times + pd.Timedelta(minutes=m.time_step_min / 2)
    pos = pvlib.solarposition.get_solarposition(centre, latitude, longitude)
    elev = pos["apparent_elevation"].to_numpy()
    keep = elev >= m.min_sun_elevation_deg
    el = np.radians(elev[keep])
    az = np.radians(pos["azimuth"].to_numpy()[keep])
    vectors = np.column_stack([np.cos(el) * np.sin(az), np.cos(el) * np.cos(az), np.sin(el)])
    return SunPath(
        vectors=vectors.astype(np.float32),
        day=(times.dayofyear.to_numpy()[keep] - 1).astype(np.int64),
        month=times.month.to_numpy()[keep].astype(np.int64),
        step_min=float(m.time_step_min),
        n_days=int(times.dayofyear.max()),
    )


def _pairs(
    tx: FloatArray, ty: FloatArray, reach_m: FloatArray, rx: FloatArray, ry: FloatArray
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return (receiver, turbine) index pairs within each turbine's reach, sorted by receiver."""
    if rx.size == 0 or tx.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    tree = cKDTree(np.column_stack([rx, ry]))
    recv, turb = [], []
    for j in range(tx.size):
        idx = np.asarray(tree.query_ball_point([tx[j], ty[j]], r=reach_m[j]), dtype=np.int64)
        recv.append(idx)
        turb.append(np.full(idx.size, j, dtype=np.int64))
    r, t = np.concatenate(recv), np.concatenate(turb)
    order = np.argsort(r, kind="stable")
    return r[order], t[order]


def shadow_flicker(
    turbine_x: FloatArray,
    turbine_y: FloatArray,
    hub_height_m: FloatArray,
    rotor_m: FloatArray,
    receiver_x: FloatArray,
    receiver_y: FloatArray,
    sun: SunPath,
    method: FlickerMethod | None = None,
    *,
    day_minutes: float | None = None,
    max_cells: int = 20_000_000,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Return the astronomical worst-case shadow flicker at each receiver.

    Shadow from several turbines at the same time step counts once.

    Parameters
    ----------
    turbine_x, turbine_y, hub_height_m, rotor_m : array
        One value per turbine (metric CRS).
    receiver_x, receiver_y : array
        Dwelling coordinates.
    sun : SunPath
        From :func:`sun_path` at the site.
    method : FlickerMethod, optional
        Receiver height and maximum distance.
    day_minutes : float, optional
        Count the days with more than this many minutes of shadow (default
        ``method.day_minutes``).
    max_cells : int
        Largest (pairs x time steps) block evaluated at once (memory bound).
    progress : callable, optional
        Called with the number of dwelling-turbine pairs finished after each chunk.

    Returns
    -------
    DataFrame
        One row per receiver: ``flicker_hours`` (h/year), ``flicker_max_minutes_day``,
        ``flicker_days`` (days with any shadow), ``flicker_days_over_20min``
        (days with more than ``day_minutes``), ``flicker_turbines`` (turbines in
        reach) and ``flicker_hours_m01`` ... ``flicker_hours_m12`` per month.
    """
    m = method or FlickerMethod()
    day_minutes = m.day_minutes if day_minutes is None else day_minutes
    tx, ty = np.asarray(turbine_x, float), np.asarray(turbine_y, float)
    hub, rad = np.asarray(hub_height_m, float), np.asarray(rotor_m, float) / 2.0
    rx, ry = np.asarray(receiver_x, float), np.asarray(receiver_y, float)
    n = rx.size
    pr, pt = _pairs(tx, ty, m.max_distance_rotor_diameters * 2.0 * rad, rx, ry)
    in_reach = np.bincount(pr, minlength=n) if n else np.zeros(0, dtype=np.int64)
    steps = sun.vectors.shape[0]
    s_all = sun.vectors.astype(np.float32)
    sun_elev = np.degrees(np.arcsin(np.clip(s_all[:, 2].astype(float), -1.0, 1.0)))
    by_elev = np.argsort(sun_elev, kind="stable")
    elev_sorted = sun_elev[by_elev]
    # each pair: the hub's elevation seen from the window and the rotor's angular radius;
    # only sun positions within that elevation band can be behind the disc
    v_all = np.column_stack([tx[pt] - rx[pr], ty[pt] - ry[pr], hub[pt] - m.receiver_height_m])
    dist_all = np.linalg.norm(v_all, axis=1)
    ang = np.degrees(np.arcsin(np.clip(rad[pt] / np.maximum(dist_all, 1e-9), 0.0, 1.0)))
    hub_elev = np.degrees(np.arcsin(np.clip(v_all[:, 2] / np.maximum(dist_all, 1e-9), -1.0, 1.0)))
    margin = 0.05  # degrees, for float32 sun vectors
    pairs_per_chunk = max(1, max_cells // max(steps, 1))
    minutes = np.zeros(n)
    max_day = np.zeros(n)
    days_any = np.zeros(n, dtype=np.int64)
    days_over = np.zeros(n, dtype=np.int64)
    monthly = np.zeros((n, 12))
    # blocks of whole receivers (pairs are sorted by receiver), so that shadow hits can be
    # aggregated and dropped per block: memory stays bounded by one block's answer
    block_pairs = 20 * pairs_per_chunk
    start = 0
    while start < pr.size and steps:
        stop = min(pr.size, start + block_pairs)
        if stop < pr.size:
            stop = max(
                int(np.searchsorted(pr, pr[stop], side="left")),
                int(np.searchsorted(pr, pr[start], side="right")),
            )
        block = np.arange(start, stop)
        order = block[np.argsort(hub_elev[block], kind="stable")]  # similar elevation bands
        hits: list[npt.NDArray[np.int64]] = []
        for first in range(0, order.size, pairs_per_chunk):
            sel = order[first : first + pairs_per_chunk]
            lo = float((hub_elev[sel] - ang[sel]).min()) - margin
            hi = float((hub_elev[sel] + ang[sel]).max()) + margin
            cols = by_elev[np.searchsorted(elev_sorted, lo) : np.searchsorted(elev_sorted, hi)]
            if cols.size:
                u = (v_all[sel] / dist_all[sel, None]).astype(np.float32)
                cos_limit = np.sqrt(1.0 - np.clip(rad[pt[sel]] / dist_all[sel], 0.0, 1.0) ** 2)
                shadow = (u @ s_all[cols].T) >= cos_limit.astype(np.float32)[:, None]
                p_loc, c_loc = np.nonzero(shadow)
                del shadow
                hits.append(pr[sel[p_loc]] * steps + cols[c_loc])
            if progress is not None:
                progress(int(sel.size))
        start = stop
        if not hits:
            continue
        codes = np.unique(np.concatenate(hits))  # shadow counts once per step
        del hits
        recv, step = codes // steps, codes % steps
        minutes += np.bincount(recv, minlength=n) * sun.step_min
        day_codes, day_counts = np.unique(recv * sun.n_days + sun.day[step], return_counts=True)
        day_recv, day_min = day_codes // sun.n_days, day_counts * sun.step_min
        np.maximum.at(max_day, day_recv, day_min)
        days_any += np.bincount(day_recv, minlength=n)
        days_over += np.bincount(day_recv[day_min > day_minutes], minlength=n)
        monthly += np.bincount(recv * 12 + sun.month[step] - 1, minlength=n * 12).reshape(n, 12) * (
            sun.step_min / 60.0
        )
    out = pd.DataFrame(
        {
            "flicker_hours": minutes / 60.0,
            "flicker_max_minutes_day": max_day,
            "flicker_days": days_any,
            "flicker_days_over_20min": days_over,
            "flicker_turbines": in_reach,
        }
    )
    for k in range(12):
        out[f"flicker_hours_m{k + 1:02d}"] = monthly[:, k]
    return out


def realistic_hours(table: pd.DataFrame, sunshine_fraction: FloatArray) -> FloatArray:
    """Return the expected flicker hours: worst-case hours per month x sunshine fraction.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`shadow_flicker` (columns ``flicker_hours_m01`` ...).
    sunshine_fraction : array of 12 floats
        Share of the daylight hours with sunshine per month (0-1), e.g. from a
        KNMI climate table.

    Returns
    -------
    numpy.ndarray
        Hours per year per receiver.

    Raises
    ------
    ValueError
        If there are not 12 fractions between 0 and 1.

    Examples
    --------
    >>> t = pd.DataFrame({f"flicker_hours_m{k:02d}": [10.0] for k in range(1, 13)})
    >>> float(realistic_hours(t, np.full(12, 0.25))[0])
    30.0
    """
    frac = np.asarray(sunshine_fraction, dtype=float)
    if frac.shape != (12,) or not ((frac >= 0) & (frac <= 1)).all():
        raise ValueError("sunshine_fraction needs 12 monthly values between 0 and 1")
    cols = [f"flicker_hours_m{k:02d}" for k in range(1, 13)]
    return np.asarray(table[cols].to_numpy() @ frac)
