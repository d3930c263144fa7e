#===- StaticMLIR.cmake - link MLIR/LLVM statically ------------------------===#
#
# Debian's MLIR archives name the shared `LLVM` library as their dependency.
# flagtree must run where no LLVM is installed (the GPU machine), so every
# imported MLIR target is rewired to the static LLVM component archives.
#
#===----------------------------------------------------------------------===#

set(FLAGTREE_LLVM_COMPONENT_LIBS
  LLVMSupport LLVMDemangle LLVMCore LLVMBinaryFormat LLVMBitReader
  LLVMBitWriter LLVMBitstreamReader LLVMRemarks LLVMTargetParser
  LLVMAsmParser LLVMFrontendOpenMP LLVMFrontendAtomic LLVMFrontendOffloading
  LLVMTransformUtils LLVMAnalysis LLVMProfileData LLVMObject LLVMMC
  LLVMMCParser LLVMTextAPI LLVMIRReader LLVMInstCombine LLVMScalarOpts
  LLVMipo LLVMVectorize LLVMPasses LLVMTarget LLVMCodeGen LLVMCodeGenTypes
  LLVMSelectionDAG LLVMAsmPrinter LLVMGlobalISel LLVMOrcJIT LLVMOrcShared
  LLVMOrcTargetProcess LLVMJITLink LLVMExecutionEngine LLVMRuntimeDyld
  LLVMX86CodeGen LLVMX86AsmParser LLVMX86Desc LLVMX86Info LLVMLinker
  LLVMFrontendHLSL LLVMOption LLVMDebugInfoDWARF LLVMDebugInfoDWARFLowLevel
  LLVMSymbolize LLVMCGData LLVMSandboxIR LLVMAggressiveInstCombine
  LLVMInstrumentation LLVMCFGuard LLVMObjCARCOpts LLVMCoroutines
  LLVMHipStdPar LLVMFrontendDirective LLVMDebugInfoCodeView LLVMDebugInfoMSF
  LLVMDebugInfoPDB LLVMDebugInfoBTF LLVMDebugInfoGSYM LLVMIRPrinter)
# The ORC JIT of the host-CPU lane (mlir::ExecutionEngine) needs these too.
list(APPEND FLAGTREE_LLVM_COMPONENT_LIBS LLVMPerfJITEvents)

foreach(tgt IN LISTS MLIR_EXPORTED_TARGETS)
  if(NOT TARGET ${tgt})
    continue()
  endif()
  get_target_property(kind ${tgt} TYPE)
  if(NOT kind STREQUAL "STATIC_LIBRARY")
    continue()
  endif()
  get_target_property(deps ${tgt} INTERFACE_LINK_LIBRARIES)
  if(deps)
    list(TRANSFORM deps REPLACE "^LLVM$" "FLAGTREE_LLVM_STATIC")
    set_target_properties(${tgt} PROPERTIES INTERFACE_LINK_LIBRARIES "${deps}")
  endif()
endforeach()

add_library(FLAGTREE_LLVM_STATIC INTERFACE)
target_link_libraries(FLAGTREE_LLVM_STATIC INTERFACE ${FLAGTREE_LLVM_COMPONENT_LIBS})

# A shared library of flagtree that exports only its C API: MLIR and LLVM,
# linked in statically, stay hidden, so it loads next to the MLIR inside
# Triton's own extension without either binding to the other's symbols.
# Installed into flagtree/_core as part of `component`.
function(flagtree_c_api_library target component)
  target_link_options(${target} PRIVATE
    -Wl,--exclude-libs,ALL -Wl,--as-needed -Wl,-Bsymbolic -Wl,--gc-sections
    -Wl,--no-undefined)
  set_target_properties(${target} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib)
  install(TARGETS ${target} LIBRARY DESTINATION flagtree/_core
          COMPONENT ${component})
endfunction()
