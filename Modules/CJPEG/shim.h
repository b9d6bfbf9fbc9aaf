// libjpeg-turbo (libjpeg62-turbo-dev): JPEG decoding for LatentIO's image reader.
//
// libjpeg reports errors through `error_exit`, whose default calls exit(). Swift cannot call
// setjmp, so the whole decode runs here in C: an error handler that longjmps back, formats the
// library's message and returns a non-zero code, so a corrupt or truncated file is an error value.
#ifndef LATENT_CJPEG_SHIM_H
#define LATENT_CJPEG_SHIM_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

// Largest image decoded (64 megapixels): bounds what a hostile header can make us allocate.
#define LATENT_MAXIMUM_PIXELS (1 << 26)

struct latent_jpeg_error {
    struct jpeg_error_mgr manager;   // must be first: libjpeg sees a jpeg_error_mgr *
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void latent_jpeg_error_exit(j_common_ptr info) {
    struct latent_jpeg_error *error = (struct latent_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->jump, 1);
}

// Warnings (e.g. "premature end of data segment", which libjpeg pads with grey) count as errors:
// a truncated file must not decode as a silently padded image.
static void latent_jpeg_emit_message(j_common_ptr info, int level) {
    if (level < 0) latent_jpeg_error_exit(info);
}

/// Decodes the JPEG in `data[0..<size]` to 8-bit pixels, row-major, `channels` per pixel
/// (1 for greyscale files, 3 (RGB) otherwise; CMYK is refused). On success returns 0 and sets
/// `*pixels` (free with free()), `*width`, `*height`, `*channels`; on failure returns 1 and writes
/// libjpeg's message into `message` (`capacity` bytes).
static inline int latent_jpeg_decode(const unsigned char *data, unsigned long size, unsigned char **pixels,
                                     int *width, int *height, int *channels, char *message, size_t capacity) {
    struct jpeg_decompress_struct info;
    struct latent_jpeg_error error;
    unsigned char *volatile out = NULL;
    *pixels = NULL;
    info.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = latent_jpeg_error_exit;
    error.manager.emit_message = latent_jpeg_emit_message;
    error.message[0] = 0;
    if (setjmp(error.jump)) {
        snprintf(message, capacity, "%s", error.message);
        jpeg_destroy_decompress(&info);
        free(out);
        return 1;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, size);
    jpeg_read_header(&info, TRUE);
    if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        snprintf(message, capacity, "CMYK JPEG files are not supported");
        jpeg_destroy_decompress(&info);
        return 1;
    }
    if ((unsigned long long)info.image_width * info.image_height > LATENT_MAXIMUM_PIXELS) {
        snprintf(message, capacity, "%u x %u pixels is more than the %d read", info.image_width, info.image_height, LATENT_MAXIMUM_PIXELS);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    info.out_color_space = info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * (size_t)info.output_components;
    out = (unsigned char *)malloc(stride * info.output_height);
    if (out == NULL) {
        snprintf(message, capacity, "out of memory for a %u x %u image", info.output_width, info.output_height);
        jpeg_destroy_decompress(&info);
        return 1;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    *width = (int)info.output_width;
    *height = (int)info.output_height;
    *channels = info.output_components;
    jpeg_destroy_decompress(&info);
    *pixels = out;
    return 0;
}

#endif
