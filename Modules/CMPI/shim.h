// Open MPI's C API for Swift (Modules/CMPI). Debian: libopenmpi-dev (headers, libmpi) and
// openmpi-bin (mpirun); SwiftPM finds both through `pkg-config ompi-c`.
//
// Open MPI's predefined handles are macros that take the address of a global
// (`#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)`), which Swift's
// importer cannot turn into constants. Each one used by LatentDistributed gets a small accessor.
#ifndef LATENT_CMPI_SHIM_H
#define LATENT_CMPI_SHIM_H

#include <mpi.h>

static inline MPI_Comm latent_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm latent_mpi_comm_null(void) { return MPI_COMM_NULL; }
static inline MPI_Errhandler latent_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }

static inline MPI_Datatype latent_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype latent_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype latent_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype latent_mpi_int32(void) { return MPI_INT32_T; }
static inline MPI_Datatype latent_mpi_uint8(void) { return MPI_UINT8_T; }

static inline MPI_Op latent_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op latent_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op latent_mpi_min(void) { return MPI_MIN; }

static inline MPI_Request latent_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *latent_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline MPI_Status *latent_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline void *latent_mpi_in_place(void) { return MPI_IN_PLACE; }

static inline int latent_mpi_success(void) { return MPI_SUCCESS; }
static inline int latent_mpi_max_error_string(void) { return MPI_MAX_ERROR_STRING; }
static inline int latent_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }

#endif
