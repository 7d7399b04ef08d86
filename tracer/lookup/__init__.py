"""The query side: a loaded index version searched, re-scored and given confidences."""
