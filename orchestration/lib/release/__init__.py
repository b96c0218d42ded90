"""The release: what leaves the statistics bureau. `disclosure` decides which figures built
from respondents' data may be published (primary and secondary suppression, and the linear
programme that audits them); `export` writes the release file and its Parquet copies."""
