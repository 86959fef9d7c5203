#!/usr/bin/env bash
# RES region Drenthe end to end, from the raw open data, with ruimte's CLI only.
#
#   examples/drenthe.sh [WORKSPACE]        (default ./drenthe-workspace)
#
# Reads ../shared/data (override with DATA=...), builds a workspace with the
# province, the RES region and its 12 municipalities, the RIVM turbines and the
# solar parks as realised claims, the power plants, the 2017 OSM grid, Natura
# 2000 and targets from a CSV, then runs eligibility, potential, conflicts,
# grid, nuisance (noise, flicker, visibility) and the gap report.
# RUIMTE overrides the command (e.g. "python -m ruimte").
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${DATA:-$HERE/../../shared/data}"
WS="${1:-drenthe-workspace}"
R=(${RUIMTE:-ruimte})
G="$DATA/region_drenthe/drenthe_testregion.gpkg"
[ -f "$G" ] || { echo "drenthe.sh: $G not found; set DATA to the shared data folder" >&2; exit 2; }

"${R[@]}" init "$WS" --crs EPSG:28992

# regions: province > RES region > municipalities
"${R[@]}" import "$WS" "$G" --layer provincie --regions --code-field pv_code \
    --name-field pv_name --level province --licence "CBS/PDOK open data"
"${R[@]}" import "$WS" "$G" --layer res_regios --regions --code-field res_code \
    --name-field res_name --level res_region --parent PV22 --licence "CBS/PDOK open data"
# the municipalities keep their CBS attributes (population, households, area, ...)
"${R[@]}" import "$WS" "$G" --layer gemeenten --regions --code-field gm_code \
    --name-field gm_name --level municipality --parent-field res_code \
    --attribute population=inwoners_2024 --attribute households=huishoudens \
    --licence "CBS/PDOK open data"

# what stands already: turbines (locations only: capacity unknown) and solar parks (MWp)
"${R[@]}" import "$WS" "$G" --layer windturbines_rivm --claims --function wind_turbine \
    --status realised --scenario basis --licence "RIVM open data"
"${R[@]}" import "$WS" "$G" --layer solar_parks --claims --function solar_field \
    --quantity-field capacity_mw --unit MWp --status realised --scenario basis \
    --licence "open data (approximate locations)"

# existing land use: power plants, the high-voltage grid, Natura 2000
"${R[@]}" import "$WS" "$G" --layer powerplants_ppm --as powerplants \
    --mapping "$HERE/mappings/powerplantmatching.yaml" --licence CC-BY-4.0
"${R[@]}" import "$WS" "$G" --layer grid_nodes_osm2017 --as grid_nodes --function substation \
    --licence ODbL
"${R[@]}" import "$WS" "$G" --layer grid_lines_osm2017 --as hv_lines --function hv_line \
    --licence ODbL
"${R[@]}" import "$WS" "$G" --layer natura2000 --as nature --function nature_reserve \
    --licence "government open data"

# targets (derived and provisional: see the description column)
"${R[@]}" import "$WS" "$HERE/drenthe/targets.csv" --targets

"${R[@]}" info "$WS"
"${R[@]}" eligibility "$WS" --tech wind
"${R[@]}" eligibility "$WS" --tech solar
"${R[@]}" potential "$WS" --scenario basis
"${R[@]}" conflicts "$WS" --scenario basis
"${R[@]}" grid "$WS" --scenario basis
"${R[@]}" nuisance "$WS" --scenario basis
"${R[@]}" targets "$WS" --scenario basis
# the RES region's target split over its municipalities by the population they carry
"${R[@]}" targets "$WS" --cascade targets_targets:2 --to municipality --key population
