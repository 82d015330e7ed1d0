"""The gap list: per criterion and evidence type, what counts for the assessment year (build), with reviewers'
decisions winning over the model (review)."""
