"""Server-rendered pages, one module per feature (each holds one APIRouter)."""
