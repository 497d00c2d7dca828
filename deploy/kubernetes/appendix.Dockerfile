# Appended by `repo2docker --appendix` (build-image.sh) to the image it builds from this repository.
# repo2docker's base environment already has JupyterLab and jupyterhub-singleuser (the version
# Zero to JupyterHub's hub expects); the course's requirements.txt is installed into it.
#
# nbgitpuller hands the notebooks out: one link clones the course into each student's home.
RUN ${NB_PYTHON_PREFIX}/bin/python -m pip install --no-cache-dir "nbgitpuller>=1.2,<2"
# The lean kernel (deploy/hub/lean_kernel.py): the standard python3 kernelspec without the visual
# debugger's imports, about 7-8 MiB less per open notebook.
RUN ${NB_PYTHON_PREFIX}/bin/python ${REPO_DIR}/deploy/hub/lean_kernel.py --install ${NB_PYTHON_PREFIX}/share/jupyter
# Kernels left idle (a closed browser tab) are shut down after 20 minutes, as on deploy/hub/: an idle
# student then costs about a third of an active one.
RUN mkdir -p ${NB_PYTHON_PREFIX}/etc/jupyter/jupyter_server_config.d && \
    echo '{"MappingKernelManager": {"cull_idle_timeout": 1200, "cull_interval": 300, "cull_connected": false}}' \
      > ${NB_PYTHON_PREFIX}/etc/jupyter/jupyter_server_config.d/course-kernel-culling.json
